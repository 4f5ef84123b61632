from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from services.jobs.assistance.rules import ActKind, Channel, ContactOutcome, RecommendationStatus
from shared.pagination import Page


class ActCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ActKind
    vacancy_id: uuid.UUID | None = Field(None, description="Required for a job recommendation")
    note: str | None = Field(None, max_length=500)


class ActResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Literal["accept", "decline"]
    note: str | None = Field(None, max_length=200)


class ActRead(BaseModel):
    id: uuid.UUID
    seeker_id: uuid.UUID
    kind: ActKind
    vacancy_id: uuid.UUID | None
    note: str | None
    by: str
    at: datetime
    status: RecommendationStatus | None = Field(description="Recommendations only, as of now")
    expires_at: datetime | None
    responded_at: datetime | None
    response_note: str | None


class ContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel
    outcome: ContactOutcome
    note: str | None = Field(None, max_length=500)


class ContactRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    seeker_id: uuid.UUID
    channel: Channel
    outcome: ContactOutcome
    note: str | None
    by: str
    at: datetime


ActPage = Page[ActRead]
ContactPage = Page[ContactRead]


class ExpirySweep(BaseModel):
    expired: int
