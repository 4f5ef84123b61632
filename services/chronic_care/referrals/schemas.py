from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.chronic_care.referrals.rules import ReferralStatus
from shared.pagination import Page


class ReferralCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    hospital: str = Field(min_length=1, max_length=200)
    department: str | None = Field(None, max_length=100)
    reason: str = Field(min_length=1, max_length=1000)
    urgency: Literal["routine", "urgent"] = "routine"


class ReferralAction(BaseModel):
    """Optional details of a step; ``confirm`` of a proposal needs the hospital."""

    model_config = ConfigDict(extra="forbid")

    hospital: str | None = Field(None, min_length=1, max_length=200)
    department: str | None = Field(None, max_length=100)
    reason: str | None = Field(None, min_length=1, max_length=1000)
    note: str | None = Field(None, max_length=500)
    at: datetime | None = Field(None, description="When the step happened; now if omitted")


class StepRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: ReferralStatus | None
    to_status: ReferralStatus
    by: str
    at: datetime
    note: str | None


class ReferralRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    station_id: uuid.UUID
    status: ReferralStatus
    urgency: Literal["routine", "urgent"]
    hospital: str | None
    department: str | None
    reason: str | None
    reading_id: uuid.UUID | None
    proposed_at: datetime | None
    requested_at: datetime | None
    accepted_at: datetime | None
    admitted_at: datetime | None
    discharged_at: datetime | None
    closed_at: datetime | None
    steps: list[StepRead]


ReferralPage = Page[ReferralRead]
