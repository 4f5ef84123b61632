from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.renovation.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class FutureCommunity(UUIDPrimaryKey, Timestamps, Base):
    """A community's application to be created as a future community (未来社区创建)."""

    __tablename__ = "future_communities"

    name: Mapped[str] = mapped_column(String(200))
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    level: Mapped[str] = mapped_column(String(10), index=True)  # province | city
    batch: Mapped[str] = mapped_column(String(60))  # e.g. 2022年第一批
    applied_on: Mapped[date] = mapped_column(Date, index=True)
    beneficiaries: Mapped[int] = mapped_column(Integer, default=0)  # residents who benefit (受益人群)
    status: Mapped[str] = mapped_column(String(24), default="applied", index=True)
    decision_reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    transitions: Mapped[list[FutureCommunityTransition]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="FutureCommunityTransition.at")
    scenarios: Mapped[list[CommunityScenario]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="CommunityScenario.scenario")


class FutureCommunityTransition(UUIDPrimaryKey, Base):
    __tablename__ = "future_community_transitions"

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("future_communities.id", ondelete="CASCADE"),
                                                      index=True)
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class CommunityScenario(UUIDPrimaryKey, Base):
    """A service scenario the application covers, inspected on its own (e.g. 一老一小)."""

    __tablename__ = "community_scenarios"
    __table_args__ = (UniqueConstraint("application_id", "scenario"),)

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("future_communities.id", ondelete="CASCADE"),
                                                      index=True)
    scenario: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending | passed | failed
    inspected_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    inspections: Mapped[list[ScenarioInspection]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="ScenarioInspection.recorded_at")


class ScenarioInspection(UUIDPrimaryKey, Base):
    __tablename__ = "scenario_inspections"

    scenario_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("community_scenarios.id", ondelete="CASCADE"),
                                                   index=True)
    inspected_on: Mapped[date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
