from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.renovation.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Project(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "projects"

    name: Mapped[str] = mapped_column(String(200))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    area_m2: Mapped[float] = mapped_column(Numeric(12, 2, asdecimal=False))
    budget_fen: Mapped[int] = mapped_column(BigInteger)
    planned_start: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    transitions: Mapped[list[ProjectTransition]] = relationship(
        back_populates="project", order_by="ProjectTransition.at", lazy="selectin"
    )


class ProjectTransition(UUIDPrimaryKey, Base):
    """Who moved the project from one status to the next, and when."""

    __tablename__ = "project_transitions"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    project: Mapped[Project] = relationship(back_populates="transitions")
