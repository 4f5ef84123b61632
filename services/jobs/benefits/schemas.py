from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.jobs.benefits.rules import MAX_MONTHLY_FEN, MAX_MONTHS, BatchStatus, ClaimStatus, LineStatus
from services.jobs.periods import PERIOD_PATTERN
from shared.pagination import Page

Period = Field(pattern=PERIOD_PATTERN, description="YYYY-MM")


class ClaimCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seeker_id: uuid.UUID
    monthly_amount_fen: int = Field(ge=1, le=MAX_MONTHLY_FEN)
    months_entitled: int = Field(ge=1, le=MAX_MONTHS)
    start_period: str = Period


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500, description="Every approval or refusal says why")


class BatchCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    period: str = Period


class ClaimRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    seeker_id: uuid.UUID
    person_ref: str
    street_code: str
    monthly_amount_fen: int
    months_entitled: int
    start_period: str
    stop_from_period: str | None
    stop_reason: str | None
    status: ClaimStatus
    prepared_by: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    created_at: datetime


class BatchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    period: str
    status: BatchStatus
    prepared_by: str
    prepared_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    paid_by: str | None
    paid_at: datetime | None
    lines: int
    total_fen: int
    paid_fen: int


class LineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    batch_id: uuid.UUID
    claim_id: uuid.UUID
    period: str
    amount_fen: int
    status: LineStatus
    paid_at: datetime | None


class Ledger(BaseModel):
    claim: ClaimRead
    lines: list[LineRead]
    paid_fen: int
    months_paid: int
    months_left: int


ClaimPage = Page[ClaimRead]
BatchPage = Page[BatchRead]
LinePage = Page[LineRead]
