from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.chronic_care.rehab.rules import PlanStatus
from shared.pagination import Page


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    goal: str = Field(min_length=1, max_length=1000)
    visits_per_month: int = Field(ge=1, le=31)
    starts_on: date
    ends_on: date


class VisitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visited_at: datetime | None = Field(None, description="When the nurse visited; now if omitted")
    notes: str | None = Field(None, max_length=2000)


class VisitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    visited_at: datetime
    by: str
    notes: str | None


class PlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    station_id: uuid.UUID
    goal: str
    visits_per_month: int
    starts_on: date
    ends_on: date
    status: PlanStatus
    created_by: str
    closed_at: datetime | None
    visits: list[VisitRead]


PlanPage = Page[PlanRead]
