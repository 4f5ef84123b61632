from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.chronic_care.drugs.schemas import DrugRead
from shared.pagination import Page


class CatalogueAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    drug_id: uuid.UUID
    low_stock_level: int = Field(10, ge=0, le=100_000)


class StockUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    low_stock_level: int = Field(ge=0, le=100_000)


class StockReceipt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    drug_id: uuid.UUID
    quantity: int = Field(gt=0, le=100_000)


class StationDrugRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    station_id: uuid.UUID
    drug: DrugRead
    in_catalogue: bool
    catalogued_at: datetime | None
    catalogued_via: Literal["direct", "out_of_catalogue_order"] | None
    first_ordered_at: datetime | None
    stock_quantity: int
    low_stock_level: int
    low_stock: bool


StationDrugPage = Page[StationDrugRead]
