from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.chronic_care.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Referral(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "referrals"

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    urgency: Mapped[str] = mapped_column(String(10))  # routine | urgent
    hospital: Mapped[str | None] = mapped_column(String(200), nullable=True)
    department: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    reading_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)  # the critical reading that proposed it
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    discharged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    steps: Mapped[list[ReferralStep]] = relationship(order_by="ReferralStep.at", lazy="selectin",
                                                     cascade="all, delete-orphan")


class ReferralStep(UUIDPrimaryKey, Base):
    """Who moved the referral from one status to the next, and when: every step is timed."""

    __tablename__ = "referral_steps"

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
