from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.jobs.periods import PERIOD_PATTERN
from services.jobs.relief.rules import ReliefKind, ReliefStatus
from shared.pagination import Page


class ReliefCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employer_id: uuid.UUID
    kind: ReliefKind
    policy: str = Field(min_length=1, max_length=60)
    period: str = Field(pattern=PERIOD_PATTERN, description="YYYY-MM the relief concerns")
    amount_fen: int = Field(ge=1, le=10**12)


class ReliefRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    employer_id: uuid.UUID
    street_code: str
    kind: ReliefKind
    policy: str
    period: str
    amount_fen: int
    status: ReliefStatus
    prepared_by: str
    prepared_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


class EmployerReliefSummary(BaseModel):
    employer_id: uuid.UUID
    approved_records: int
    approved_fen: int
    by_kind: dict[str, int]


ReliefPage = Page[ReliefRead]
