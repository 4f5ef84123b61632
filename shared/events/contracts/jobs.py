"""Events the jobs service publishes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from shared.events.envelope import EventContract


class SeekerRegisteredV1(EventContract):
    event_type = "jobs.seeker.registered"
    seeker_id: uuid.UUID
    person_ref: str
    street_code: str
    priority_groups: list[str]
    registered_at: datetime


class SeekerPlacedV1(EventContract):
    event_type = "jobs.seeker.placed"
    seeker_id: uuid.UUID
    person_ref: str
    street_code: str
    household_id: uuid.UUID | None = None
    placement_type: Literal["market", "public_welfare", "self_employed"] = "market"
    placed_at: datetime


class HouseholdClearedV1(EventContract):
    """A zero-employment household has a working member again."""

    event_type = "jobs.household.cleared"
    household_id: uuid.UUID
    street_code: str
    cleared_at: datetime
