from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.community.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey

OPEN_SQL = "status IN ('open', 'assigned')"


class VisitTask(UUIDPrimaryKey, Timestamps, Base):
    """A home visit to a person (入户走访): asked for by staff or by another area's event, assigned, done."""

    __tablename__ = "visit_tasks"
    __table_args__ = (
        # One open visit per person: further requests join it (and may make it more urgent).
        Index("uq_visit_tasks_person_open", "person_ref", unique=True, postgresql_where=text(OPEN_SQL),
              sqlite_where=text(OPEN_SQL)),
    )

    person_ref: Mapped[str] = mapped_column(String(40), index=True)
    resident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("residents.id", ondelete="SET NULL"),
                                                          nullable=True, index=True)
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"),
                                                           nullable=True)
    street_code: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    community_code: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    reason: Mapped[str] = mapped_column(String(30))
    priority: Mapped[str] = mapped_column(String(10), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True)
    assignee: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    outcome: Mapped[str | None] = mapped_column(String(12), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[str] = mapped_column(String(120))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    completed_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    request_count: Mapped[int] = mapped_column(Integer, default=1)
    requests: Mapped[list[VisitRequest]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                        order_by="VisitRequest.at")


class VisitRequest(UUIDPrimaryKey, Base):
    """Why a visit was asked for: each request, with the event that carried it (unique: asked once)."""

    __tablename__ = "visit_requests"

    task_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit_tasks.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(60))  # "staff" or the event type
    source_event_id: Mapped[uuid.UUID | None] = mapped_column(unique=True, nullable=True)
    reason: Mapped[str] = mapped_column(String(30))
    priority: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    by: Mapped[str] = mapped_column(String(120))
