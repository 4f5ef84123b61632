from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.jobs.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class BenefitClaim(UUIDPrimaryKey, Timestamps, Base):
    """An unemployment-insurance benefit claim (失业保险金): so much a month, for so many months."""

    __tablename__ = "benefit_claims"
    __table_args__ = (Index("ix_benefit_claims_seeker_status", "seeker_id", "status"),)

    seeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seekers.id", ondelete="RESTRICT"))
    person_ref: Mapped[str] = mapped_column(String(40), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    monthly_amount_fen: Mapped[int] = mapped_column(BigInteger)
    months_entitled: Mapped[int] = mapped_column(Integer)
    start_period: Mapped[str] = mapped_column(String(7))
    stop_from_period: Mapped[str | None] = mapped_column(String(7), nullable=True)
    stop_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending|approved|rejected|stopped|exhausted
    prepared_by: Mapped[str] = mapped_column(String(120))
    decided_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)


class PaymentBatch(UUIDPrimaryKey, Timestamps, Base):
    """The month's payments, prepared by one officer and approved (or refused) by another before they go out."""

    __tablename__ = "benefit_batches"

    period: Mapped[str] = mapped_column(String(7), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # draft | approved | refused | paid
    prepared_by: Mapped[str] = mapped_column(String(120))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    paid_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lines: Mapped[int] = mapped_column(Integer, default=0)
    total_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # what the lines add up to now
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class BenefitPayment(UUIDPrimaryKey, Base):
    """A ledger line: one claim's money for one period, in one batch (pending → paid | withheld)."""

    __tablename__ = "benefit_payments"
    __table_args__ = (
        UniqueConstraint("claim_id", "period"),
        Index("ix_benefit_payments_status_period", "status", "period"),
    )

    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("benefit_batches.id", ondelete="CASCADE"), index=True)
    claim_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("benefit_claims.id", ondelete="RESTRICT"))
    period: Mapped[str] = mapped_column(String(7))
    street_code: Mapped[str] = mapped_column(String(12))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
