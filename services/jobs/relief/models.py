from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.jobs.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class ReliefRecord(UUIDPrimaryKey, Timestamps, Base):
    """Fees reduced, refunded or deferred for an enterprise (减、返、缓) under a named policy."""

    __tablename__ = "relief_records"
    __table_args__ = (
        UniqueConstraint("prepared_by", "idempotency_key"),
        Index("ix_relief_records_status_decided", "status", "decided_at"),
    )

    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employers.id", ondelete="RESTRICT"), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # reduce | refund | defer
    policy: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(7))  # the month the relief concerns
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))  # prepared | approved | refused
    prepared_by: Mapped[str] = mapped_column(String(120))
    prepared_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decision_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)


class ReliefRollup(Base):
    """Approved relief per year, street and kind, kept in the approval's transaction: the overview reads a few
    rows here instead of scanning hundreds of thousands of records (230,000 enterprise-times a year)."""

    __tablename__ = "relief_rollups"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    records: Mapped[int] = mapped_column(Integer, default=0)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ReliefEnterpriseYear(Base):
    """Each enterprise relieved in a year, once: counts distinct enterprises without scanning the records."""

    __tablename__ = "relief_enterprise_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("employers.id", ondelete="CASCADE"), primary_key=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
