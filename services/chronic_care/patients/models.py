from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.chronic_care.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Patient(UUIDPrimaryKey, Timestamps, Base):
    """A person with one or more chronic conditions, cared for by a station and a family doctor.

    The ``last_*`` columns summarise the latest readings so that control rates and the overdue call list are
    one aggregate query, not a scan of every reading."""

    __tablename__ = "patients"

    person_ref: Mapped[str] = mapped_column(String(40), unique=True)
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    family_doctor: Mapped[str] = mapped_column(String(120), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)  # active | inactive
    inactive_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_reading_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_grade: Mapped[str | None] = mapped_column(String(20), nullable=True)
    last_grade_rank: Mapped[int] = mapped_column(Integer, default=0)
    last_bp_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_bp_controlled: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    last_glucose_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_glucose_controlled: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    flagged_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    conditions: Mapped[list[PatientCondition]] = relationship(
        order_by="PatientCondition.code", lazy="selectin", cascade="all, delete-orphan"
    )


class PatientCondition(Base):
    __tablename__ = "patient_conditions"

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    category: Mapped[str] = mapped_column(String(3), index=True)
    diagnosed_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class PatientFlag(UUIDPrimaryKey, Base):
    """A reason to see the patient soon that came from outside the care plan (e.g. an emergency-button alert
    in community); cleared by the next follow-up done."""

    __tablename__ = "patient_flags"
    __table_args__ = (UniqueConstraint("patient_id", "reason", "source_id"),)

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(40))  # emergency_alert
    source_id: Mapped[uuid.UUID] = mapped_column()
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
