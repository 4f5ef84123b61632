from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from services.community.childcare.rules import OLDEST_MONTHS, YOUNGEST_MONTHS, BookingStatus
from shared.pagination import Page


class SlotCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    station_id: uuid.UUID = Field(description="A station offering childcare")
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(ge=1, le=500)
    min_age_months: int = Field(YOUNGEST_MONTHS, ge=0, le=72)
    max_age_months: int = Field(OLDEST_MONTHS, ge=1, le=72, description="Exclusive: under this many months")

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends: datetime, info: ValidationInfo) -> datetime:
        starts = info.data.get("starts_at")
        if starts is not None and ends <= starts:
            raise ValueError("must be after starts_at")
        return ends

    @field_validator("max_age_months")
    @classmethod
    def _range(cls, value: int, info: ValidationInfo) -> int:
        low = info.data.get("min_age_months")
        if low is not None and value <= low:
            raise ValueError("must be above min_age_months")
        return value


class SlotRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    station_id: uuid.UUID
    street_code: str
    community_code: str | None
    starts_at: datetime
    ends_at: datetime
    capacity: int
    booked_count: int
    places_left: int
    min_age_months: int
    max_age_months: int
    status: str
    created_at: datetime


class BookingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resident_id: uuid.UUID | None = Field(None, description="The child (a member of a resident's household)")


class BookingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    slot_id: uuid.UUID
    resident_id: uuid.UUID
    status: BookingStatus
    booked_at: datetime
    cancelled_at: datetime | None
    checked_in_at: datetime | None


SlotPage = Page[SlotRead]
BookingPage = Page[BookingRead]
