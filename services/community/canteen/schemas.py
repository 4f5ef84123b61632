from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.community.canteen.rules import Meal
from shared.pagination import Page


class MealOrderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    station_id: uuid.UUID = Field(description="A station with a canteen")
    meal_date: date = Field(description="Local date")
    meal: Meal
    resident_id: uuid.UUID | None = Field(None, description="Who eats; a resident omitting it orders for themself")


class MealOrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    station_id: uuid.UUID
    resident_id: uuid.UUID
    meal_date: date
    meal: Meal
    price_fen: int
    subsidy_fen: int
    payable_fen: int
    subsidy_band: str
    status: Literal["ordered", "served", "cancelled"]
    ordered_at: datetime
    served_at: datetime | None
    cancelled_at: datetime | None


MealOrderPage = Page[MealOrderRead]
