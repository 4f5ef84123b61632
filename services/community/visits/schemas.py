from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.community.escalation.rules import ASSIGNEE
from services.community.visits.rules import Outcome, Priority, VisitReason, VisitStatus
from shared.pagination import Page


class VisitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resident_id: uuid.UUID = Field(description="Whom to visit")
    reason: VisitReason = "staff_request"
    priority: Priority = "routine"
    due_at: AwareDatetime | None = Field(None, description="Defaults by priority (4 h, 24 h, 7 days)")
    assignee: str | None = Field(None, pattern=ASSIGNEE)
    note: str | None = Field(None, max_length=2000)


class VisitAssign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: str = Field(pattern=ASSIGNEE)


class VisitComplete(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: str | None = Field(None, max_length=2000, description="Kept here; never sent to other areas")


class VisitCancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=2000, description="Why the visit is no longer needed")


class VisitRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    source: str
    source_event_id: uuid.UUID | None
    reason: str
    priority: Priority
    at: datetime
    by: str


class VisitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_ref: str
    resident_id: uuid.UUID | None
    household_id: uuid.UUID | None
    street_code: str | None
    community_code: str | None
    reason: VisitReason
    priority: Priority
    due_at: datetime
    status: VisitStatus
    assignee: str | None
    outcome: Outcome | None
    note: str | None
    created_by: str
    created_at: datetime
    completed_at: datetime | None
    completed_by: str | None
    request_count: int
    requests: list[VisitRequestRead]


VisitPage = Page[VisitRead]
