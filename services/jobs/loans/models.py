from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.jobs.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Loan(UUIDPrimaryKey, Timestamps, Base):
    """A start-up guaranteed loan (创业担保贷款): applied → approved | rejected → disbursed → repaying →
    repaid | defaulted."""

    __tablename__ = "loans"

    applicant_ref: Mapped[str] = mapped_column(String(40), index=True)  # the borrower's person_ref
    seeker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("seekers.id", ondelete="SET NULL"), nullable=True)
    borrower_kind: Mapped[str] = mapped_column(String(12))  # individual | enterprise
    business_name: Mapped[str] = mapped_column(String(200))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)  # requested
    term_months: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), index=True)
    prepared_by: Mapped[str] = mapped_column(String(120))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    approved_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    disbursed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    disbursed_on: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    repaid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    guarantors: Mapped[list[Guarantor]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    repayments: Mapped[list[Repayment]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                       order_by="Repayment.paid_on")


class Guarantor(UUIDPrimaryKey, Base):
    """Who stands behind the loan: the guarantee fund, an enterprise, or a person (by person_ref only)."""

    __tablename__ = "loan_guarantors"

    loan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # guarantee_fund | enterprise | person
    party: Mapped[str] = mapped_column(String(200))  # fund or enterprise name; a person's person_ref
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class Repayment(UUIDPrimaryKey, Base):
    __tablename__ = "loan_repayments"
    __table_args__ = (UniqueConstraint("loan_id", "idempotency_key"),)

    loan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(120))
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
