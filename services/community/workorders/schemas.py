from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.community.escalation.rules import ASSIGNEE, Severity
from services.community.workorders.rules import Resolution, WorkOrderStatus
from shared.pagination import Page


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: WorkOrderStatus | None
    to_status: WorkOrderStatus
    by: str
    at: datetime
    seconds_in_previous: int | None
    note: str | None


class EscalationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    level: int
    from_assignee: str | None
    to_assignee: str
    deadline_missed: datetime
    at: datetime


class WorkOrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    device_id: uuid.UUID
    household_id: uuid.UUID
    street_code: str
    community_code: str
    device_type: str
    category: str
    severity: Severity
    status: WorkOrderStatus
    assignee: str | None
    escalation_level: int
    ack_due_at: datetime | None
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    dispatched_at: datetime | None
    responder: str | None
    on_site_at: datetime | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: Resolution | None
    resolution_note: str | None
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_rating: int | None
    review_note: str | None
    alert_count: int
    last_alert_at: datetime
    seconds_to_acknowledge: int | None
    seconds_to_resolve: int | None
    steps: list[StepRead]
    escalations: list[EscalationRead]


class Acknowledge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=1000)


class Dispatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    responder: str = Field(min_length=1, max_length=120, description="Who goes: a grid worker, a volunteer team...")
    note: str | None = Field(None, max_length=1000)


class Arrive(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(None, max_length=1000)


class Resolve(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: Resolution
    note: str | None = Field(None, max_length=1000)


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rating: int = Field(ge=1, le=5, description="How well the loop was closed, 1-5")
    note: str | None = Field(None, max_length=1000)


class Assign(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: str = Field(pattern=ASSIGNEE)


WorkOrderPage = Page[WorkOrderRead]
