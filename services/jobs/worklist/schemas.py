from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel


class FollowUpItem(BaseModel):
    follow_up_id: uuid.UUID
    placement_id: uuid.UUID
    seeker_id: uuid.UUID
    seeker_name: str
    month: int
    due_on: date
    overdue: bool
    days_overdue: int
    caseworker: str
    street_code: str


class FollowUpWorklist(BaseModel):
    as_of: date
    items: list[FollowUpItem]
    next_cursor: str | None


class NoContactItem(BaseModel):
    seeker_id: uuid.UUID
    seeker_name: str
    stage: str
    caseworker: str
    street_code: str
    last_contact_at: datetime | None
    days_without_contact: int


class NoContactList(BaseModel):
    as_of: datetime
    threshold_days: int
    items: list[NoContactItem]
    next_cursor: str | None


class OverdueRow(BaseModel):
    key: str
    name: str | None = None
    follow_ups_overdue: int
    follow_ups_due_soon: int
    seekers_without_contact: int


class OverdueSummary(BaseModel):
    as_of: datetime
    threshold_days: int
    by_caseworker: list[OverdueRow]
    by_street: list[OverdueRow]
