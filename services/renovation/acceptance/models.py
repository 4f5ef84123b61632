from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.renovation.db import Base
from shared.database import UTCDateTime, UUIDPrimaryKey


class Inspection(UUIDPrimaryKey, Base):
    """One round of the acceptance inspection (验收) of a completed project."""

    __tablename__ = "inspections"
    __table_args__ = (UniqueConstraint("project_id", "round"),)

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)  # 1 = first inspection, 2.. = re-inspections
    inspected_on: Mapped[date] = mapped_column(Date)
    inspector: Mapped[str] = mapped_column(String(200))  # the inspecting body, e.g. 区住建局质监站
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Defect(UUIDPrimaryKey, Base):
    """A defect found at inspection: open → rectified → verified (or back to open when a re-inspection
    does not accept the rectification)."""

    __tablename__ = "defects"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    found_in_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(1000))
    severity: Mapped[str] = mapped_column(String(10))  # minor | major
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    rectified_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    rectification_note: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    verified_in_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("inspections.id", ondelete="SET NULL"), nullable=True)
