from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.chronic_care.followups.rules import CallOutcome, RemovedReason
from shared.pagination import Page


class FollowUpComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["clinic", "home", "phone"]
    completed_at: datetime | None = Field(None, description="When it was done; now if omitted")
    notes: str | None = Field(None, max_length=1000)


class CallRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: CallOutcome
    visit_on: date | None = Field(None, description="agreed_to_visit: the day the patient will come")
    call_on: date | None = Field(None, description="call_later: the day to call again")
    removed_reason: RemovedReason | None = Field(None, description="removed: why the patient leaves the list")


class CallRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    outcome: CallOutcome
    visit_on: date | None
    call_on: date | None
    removed_reason: RemovedReason | None
    by: str
    at: datetime


class FollowUpRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    station_id: uuid.UUID
    due_at: datetime
    reason: str
    status: Literal["scheduled", "done", "removed"]
    call_again_at: datetime | None
    completed_at: datetime | None
    completed_by: str | None
    method: str | None
    notes: str | None
    removed_reason: str | None
    calls: list[CallRead]


class OverdueRead(BaseModel):
    """A line of the overdue call list: enough for the doctor to call (the patient's care staff only)."""

    follow_up: FollowUpRead
    patient_name: str
    phone: str | None
    last_grade: str | None
    last_reading_at: datetime | None
    days_overdue: int
    flagged: bool


FollowUpPage = Page[FollowUpRead]
OverduePage = Page[OverdueRead]
