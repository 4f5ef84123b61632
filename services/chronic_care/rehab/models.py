from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.chronic_care.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class NursingPlan(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "nursing_plans"

    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    goal: Mapped[str] = mapped_column(String(1000))
    visits_per_month: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    visits: Mapped[list[NursingVisit]] = relationship(order_by="NursingVisit.visited_at", lazy="selectin",
                                                      cascade="all, delete-orphan")


class NursingVisit(UUIDPrimaryKey, Base):
    __tablename__ = "nursing_visits"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("nursing_plans.id", ondelete="CASCADE"), index=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    by: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(String(2000), nullable=True)
