"""Events the jobs service publishes. People travel as ``person_ref`` only: no names, ID numbers or phones."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from shared.events.envelope import EventContract


class SeekerRegisteredV1(EventContract):
    event_type = "jobs.seeker.registered"
    seeker_id: uuid.UUID
    person_ref: str
    street_code: str
    priority_groups: list[str]
    registered_at: datetime
    community_code: str | None = None
    household_id: uuid.UUID | None = None


class SeekerPlacedV1(EventContract):
    event_type = "jobs.seeker.placed"
    seeker_id: uuid.UUID
    person_ref: str
    street_code: str
    household_id: uuid.UUID | None = None
    placement_type: Literal["market", "public_welfare", "self_employed"] = "market"
    placed_at: datetime
    placement_id: uuid.UUID | None = None
    # True when the employment centre's service led to it (helped into work), False when self-found.
    assisted: bool | None = None


class HouseholdFlaggedV1(EventContract):
    """A household has working-age members and none of them is employed (零就业家庭)."""

    event_type = "jobs.household.flagged"
    household_id: uuid.UUID
    street_code: str
    community_code: str | None = None
    working_age_members: int = Field(ge=0)
    flagged_at: datetime


class HouseholdClearedV1(EventContract):
    """A zero-employment household has a working member again."""

    event_type = "jobs.household.cleared"
    household_id: uuid.UUID
    street_code: str
    cleared_at: datetime
    community_code: str | None = None
    # The seeker whose placement cleared it, when a placement did.
    seeker_id: uuid.UUID | None = None


class BenefitStoppedV1(EventContract):
    """An unemployment-insurance benefit stops from ``stop_from_period`` (YYYY-MM)."""

    event_type = "jobs.benefit.stopped"
    claim_id: uuid.UUID
    person_ref: str
    stop_from_period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    reason: Literal["placed", "exhausted", "withdrawn"]
    stopped_at: datetime
