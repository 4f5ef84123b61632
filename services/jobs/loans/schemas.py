from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.jobs.loans.rules import BorrowerKind, GuarantorKind, LoanStatus
from shared.pagination import Page


class GuarantorCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: GuarantorKind
    party: str | None = Field(None, min_length=1, max_length=200, description="The fund's or enterprise's name")
    id_number: str | None = Field(None, min_length=1, max_length=30, description="A person guarantor; not kept")
    amount_fen: int = Field(ge=1, le=10**12)


class LoanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seeker_id: uuid.UUID | None = Field(None, description="The borrower, when a registered seeker")
    id_number: str | None = Field(None, min_length=1, max_length=30, description="Otherwise the borrower's ID")
    borrower_kind: BorrowerKind = "individual"
    business_name: str = Field(min_length=1, max_length=200)
    street_code: str = Field(min_length=9, max_length=9)
    amount_fen: int = Field(ge=1, le=10**12)
    term_months: int = Field(ge=1, le=60)
    guarantors: list[GuarantorCreate] = Field(min_length=1, max_length=10)


class LoanDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)
    approved_fen: int | None = Field(None, ge=1, le=10**12, description="Approve: at most the amount asked")


class Disbursement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    disbursed_on: date | None = None


class RepaymentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_fen: int = Field(ge=1, le=10**12)
    paid_on: date | None = None


class GuarantorRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: GuarantorKind
    party: str
    amount_fen: int


class RepaymentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    amount_fen: int
    paid_on: date
    recorded_by: str


class LoanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    applicant_ref: str
    seeker_id: uuid.UUID | None
    borrower_kind: BorrowerKind
    business_name: str
    street_code: str
    amount_fen: int
    term_months: int
    status: LoanStatus
    prepared_by: str
    applied_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    approved_fen: int | None
    disbursed_fen: int
    disbursed_on: date | None
    repaid_fen: int
    closed_on: date | None
    guarantors: list[GuarantorRead]
    repayments: list[RepaymentRead]


LoanPage = Page[LoanRead]
