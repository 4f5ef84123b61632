from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from services.chronic_care.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class LabTest(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "lab_tests"

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    test_code: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), index=True)
    ordered_by: Mapped[str] = mapped_column(String(120))
    ordered_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    sample_taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sample_taken_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    resulted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    resulted_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    result_value: Mapped[float | None] = mapped_column(Numeric(12, 3, asdecimal=False), nullable=True)
    result_unit: Mapped[str | None] = mapped_column(String(30), nullable=True)
    result_text: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    abnormal: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
