"""Events the chronic-care service publishes. No reading values or diagnoses leave the service."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from shared.events.envelope import EventContract


class ReadingFlaggedV1(EventContract):
    """A monitoring reading out of range; community turns it into a home-visit task for that person."""

    event_type = "chronic_care.reading.flagged"
    reading_id: uuid.UUID
    person_ref: str
    severity: Literal["high", "critical"]
    station_code: str | None = None
    street_code: str | None = None
    community_code: str | None = None
    proposes_referral: bool = False
    flagged_at: datetime


class ReferralRequestedV1(EventContract):
    event_type = "chronic_care.referral.requested"
    referral_id: uuid.UUID
    person_ref: str
    urgency: Literal["routine", "urgent"] = "routine"
    requested_at: datetime
