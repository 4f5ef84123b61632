from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from services.jobs.db import Base
from shared.database import UTCDateTime, UUIDPrimaryKey


class ServiceAct(UUIDPrimaryKey, Base):
    """One act of service to a seeker: a job recommendation, career guidance, a policy explanation or a
    training referral. A recommendation names a vacancy and waits for the seeker's answer until it expires."""

    __tablename__ = "service_acts"
    __table_args__ = (Index("ix_service_acts_kind_status_expires", "kind", "status", "expires_at"),)

    seeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    vacancy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vacancies.id", ondelete="SET NULL"),
                                                         nullable=True, index=True)
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # Recommendations only: open → accepted | declined | expired.
    status: Mapped[str | None] = mapped_column(String(10), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    response_note: Mapped[str | None] = mapped_column(String(200), nullable=True)


class ContactAttempt(UUIDPrimaryKey, Base):
    """Proactive service (主动服务): an attempt to reach a seeker, and what came of it."""

    __tablename__ = "contact_attempts"

    seeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
