from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.renovation.db import Base
from shared.database import UTCDateTime, UUIDPrimaryKey, utcnow


class Milestone(UUIDPrimaryKey, Base):
    """A step of the works residents can follow (scaffolding up, pipes replaced, ...), with its progress."""

    __tablename__ = "milestones"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    planned_date: Mapped[date] = mapped_column(Date)
    progress_pct: Mapped[int] = mapped_column(Integer, default=0)
    completed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    public: Mapped[bool] = mapped_column(Boolean, default=True)  # shown on the residents' timeline
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updates: Mapped[list[MilestoneUpdate]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="MilestoneUpdate.at")


class MilestoneUpdate(UUIDPrimaryKey, Base):
    """A progress report on a milestone: the entries of the public timeline."""

    __tablename__ = "milestone_updates"

    milestone_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"), index=True)
    progress_pct: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
