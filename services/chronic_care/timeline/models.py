from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.chronic_care.db import Base
from shared.database import UTCDateTime, UUIDPrimaryKey


class TimelineEntry(UUIDPrimaryKey, Base):
    """One line of a patient's care timeline: what happened, when, and the record it points at.
    Written by the use case that made it happen (or by an event handler, for other services' facts)."""

    __tablename__ = "timeline_entries"
    __table_args__ = (
        UniqueConstraint("patient_id", "kind", "ref_id"),
        Index("ix_timeline_entries_patient_at", "patient_id", "occurred_at"),
    )

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(40))
    ref_id: Mapped[uuid.UUID] = mapped_column()
    summary: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(40), default="chronic_care")
