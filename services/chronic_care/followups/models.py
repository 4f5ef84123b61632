from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.chronic_care.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class FollowUp(UUIDPrimaryKey, Timestamps, Base):
    """A chronic-disease follow-up due for a patient. One is open (scheduled) per patient at a time; doing it
    schedules the next one."""

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("uq_follow_ups_one_open_per_patient", "patient_id", unique=True,
              sqlite_where=text("status = 'scheduled'"), postgresql_where=text("status = 'scheduled'")),
        Index("ix_follow_ups_status_due", "status", "due_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(40), default="routine")  # routine | emergency_alert
    status: Mapped[str] = mapped_column(String(20), default="scheduled")  # scheduled | done | removed
    # Set by a call outcome ("agreed to visit on", "call later"): off the overdue list until then.
    call_again_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    completed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    method: Mapped[str | None] = mapped_column(String(20), nullable=True)  # clinic | home | phone
    notes: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    removed_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    calls: Mapped[list[FollowUpCall]] = relationship(order_by="FollowUpCall.at", lazy="selectin",
                                                     cascade="all, delete-orphan")


class FollowUpCall(UUIDPrimaryKey, Base):
    """The outcome of calling an overdue patient."""

    __tablename__ = "follow_up_calls"

    follow_up_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(30))  # agreed_to_visit | call_later | removed
    visit_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    call_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    removed_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
