from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.jobs.placements.rules import FollowUpOutcome, PlacementType
from shared.pagination import Page


class PlacementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seeker_id: uuid.UUID
    vacancy_id: uuid.UUID | None = Field(None, description="The vacancy filled; none for self-employment")
    placement_type: PlacementType | None = Field(None, description="Derived from the vacancy when omitted")
    placed_on: date | None = Field(None, description="First working day; today when omitted")
    monthly_salary_fen: int | None = Field(None, ge=0, le=10**9)


class FollowUpRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: FollowUpOutcome
    note: str | None = Field(None, max_length=500)


class FollowUpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    placement_id: uuid.UUID
    seeker_id: uuid.UUID
    month: int
    due_on: date
    caseworker: str
    street_code: str
    status: str
    outcome: FollowUpOutcome | None
    note: str | None
    done_by: str | None
    done_at: datetime | None


class PlacementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    seeker_id: uuid.UUID
    vacancy_id: uuid.UUID | None
    employer_id: uuid.UUID | None
    placement_type: PlacementType
    placed_on: date
    monthly_salary_fen: int | None
    assisted: bool
    street_code: str
    status: str
    ended_on: date | None
    recorded_by: str
    follow_ups: list[FollowUpRead]
    created_at: datetime


PlacementPage = Page[PlacementRead]
