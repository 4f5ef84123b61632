"""Events the community service publishes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from shared.events.envelope import EventContract

Severity = Literal["low", "medium", "high", "critical"]


class AlertRaisedV1(EventContract):
    """A home-safety device alert opened (or joined) a work order. ``person_refs`` are the household's
    members, so that other services can recognise their own people without learning who they are."""

    event_type = "community.alert.raised"
    alert_id: uuid.UUID
    work_order_id: uuid.UUID
    device_id: uuid.UUID
    device_type: Literal["smoke", "gas", "emergency_button", "door_sensor"]
    severity: Severity
    household_id: uuid.UUID
    person_refs: list[str]
    street_code: str
    community_code: str | None = None
    raised_at: datetime


class WorkOrderResolvedV1(EventContract):
    event_type = "community.workorder.resolved"
    work_order_id: uuid.UUID
    household_id: uuid.UUID
    severity: Severity
    resolved_at: datetime
    seconds_to_acknowledge: int | None = None
    seconds_to_resolve: int | None = None


class VisitCompletedV1(EventContract):
    """A home visit was done. ``source_event_id`` is the event that asked for it, when one did."""

    event_type = "community.visit.completed"
    visit_id: uuid.UUID
    person_ref: str
    outcome: Literal["visited", "not_home", "referred", "declined"]
    source_event_id: uuid.UUID | None = None
    completed_at: datetime
