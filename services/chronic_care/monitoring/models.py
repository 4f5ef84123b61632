from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.chronic_care.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Reading(UUIDPrimaryKey, Timestamps, Base):
    """A blood-pressure or glucose measurement, graded against the thresholds in force when it arrived."""

    __tablename__ = "readings"
    __table_args__ = (
        UniqueConstraint("recorded_by", "idempotency_key"),
        Index("ix_readings_patient_measure_at", "patient_id", "measure", "measured_at"),
        Index("ix_readings_station_at", "station_id", "measured_at"),
        Index("ix_readings_measured_at", "measured_at"),  # period figures of the whole district
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    measure: Mapped[str] = mapped_column(String(20))  # blood_pressure | glucose
    systolic: Mapped[int | None] = mapped_column(Integer, nullable=True)
    diastolic: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pulse: Mapped[int | None] = mapped_column(Integer, nullable=True)
    glucose_mmol: Mapped[float | None] = mapped_column(Numeric(5, 2, asdecimal=False), nullable=True)
    glucose_context: Mapped[str | None] = mapped_column(String(20), nullable=True)
    measured_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source: Mapped[str] = mapped_column(String(20))  # staff | device | integration
    recorded_by: Mapped[str] = mapped_column(String(120))
    idempotency_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    grade: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str | None] = mapped_column(String(10), nullable=True)
    controlled: Mapped[bool] = mapped_column(Boolean)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    flag_event_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True, index=True)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
