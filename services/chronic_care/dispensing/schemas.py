from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.chronic_care.dispensing.rules import Path, RefillStatus
from services.chronic_care.drugs.schemas import DrugRead
from shared.pagination import Page


class RefillCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    drug_id: uuid.UUID
    quantity: int = Field(gt=0, le=1000, description="In the drug's unit (e.g. boxes)")
    note: str | None = Field(None, max_length=500)


class RefillReject(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class RefillDeliver(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int | None = Field(None, gt=0, le=1000, description="Delivered to the station; the ordered quantity "
                                 "if omitted")


class RefillDispense(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int | None = Field(None, gt=0, le=1000, description="To issue now; all that is still owed if omitted")


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: RefillStatus | None
    to_status: RefillStatus
    by: str
    at: datetime


class DispensationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    quantity: int
    partial: bool
    out_of_catalogue: bool
    dispensed_at: datetime
    dispensed_by: str


class RefillRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    station_id: uuid.UUID
    drug: DrugRead
    quantity: int
    dispensed_quantity: int
    path: Path
    status: RefillStatus
    note: str | None
    requested_by: str
    requested_at: datetime
    approved_at: datetime | None
    approved_by: str | None
    rejected_reason: str | None
    delivered_at: datetime | None
    delivered_quantity: int | None
    first_dispensed_at: datetime | None
    dispensed_at: datetime | None
    closed_at: datetime | None
    steps: list[StepRead]
    dispensations: list[DispensationRead]


class DrugOrderRead(BaseModel):
    """An out-of-catalogue order as the district platform sees it: the drug and the station, not the patient."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    station_id: uuid.UUID
    drug: DrugRead
    quantity: int
    status: RefillStatus
    requested_at: datetime
    approved_at: datetime | None
    delivered_at: datetime | None
    steps: list[StepRead]


RefillPage = Page[RefillRead]
DrugOrderPage = Page[DrugOrderRead]
OrderStatus = Literal["ordered", "approved", "rejected", "delivered", "partially_dispensed", "dispensed", "cancelled"]
