from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.renovation.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Project(UUIDPrimaryKey, Timestamps, Base):
    """A renovation project (老旧小区改造) over one or more estates."""

    __tablename__ = "projects"

    name: Mapped[str] = mapped_column(String(200))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    programme_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), nullable=True, index=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    area_m2: Mapped[float] = mapped_column(Numeric(12, 2, asdecimal=False))
    budget_fen: Mapped[int] = mapped_column(BigInteger)
    planned_start: Mapped[date] = mapped_column(Date)
    planned_end: Mapped[date] = mapped_column(Date, index=True)
    actual_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    actual_end: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned", index=True)
    progress_pct: Mapped[int] = mapped_column(Integer, default=0)  # mean of its milestones' progress
    transitions: Mapped[list[ProjectTransition]] = relationship(
        back_populates="project", order_by="ProjectTransition.at", lazy="selectin", cascade="all, delete-orphan")
    estate_links: Mapped[list[ProjectEstate]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    scope_items: Mapped[list[ScopeItem]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ScopeItem.position")

    @property
    def estate_ids(self) -> list[uuid.UUID]:
        return [link.estate_id for link in self.estate_links]


class ProjectEstate(Base):
    __tablename__ = "project_estates"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    estate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("estates.id", ondelete="RESTRICT"), primary_key=True,
                                                 index=True)


class ScopeItem(UUIDPrimaryKey, Base):
    """One piece of work in the project's scope (pipes, lifts, facades, ...)."""

    __tablename__ = "project_scope_items"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(500))
    budget_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class ProjectTransition(UUIDPrimaryKey, Base):
    """Who moved the project from one status to the next, and when."""

    __tablename__ = "project_transitions"

    project_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    project: Mapped[Project] = relationship(back_populates="transitions")


class ProjectTally(Base):
    """Projects, area and budget per street, status and finishing year (actual end, else planned end), kept by
    the project use cases: the overview reads a few rows whatever the number of projects."""

    __tablename__ = "project_tallies"

    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    projects: Mapped[int] = mapped_column(Integer, default=0)
    area_dm2: Mapped[int] = mapped_column(BigInteger, default=0)  # in 0.01 m², integers so sums never drift
    budget_fen: Mapped[int] = mapped_column(BigInteger, default=0)
