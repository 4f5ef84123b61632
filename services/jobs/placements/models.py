from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.jobs.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Placement(UUIDPrimaryKey, Timestamps, Base):
    """A seeker in work: through a vacancy (market or public-welfare post) or self-employed."""

    __tablename__ = "placements"
    __table_args__ = (Index("ix_placements_placed_on_street", "placed_on", "street_code"),)

    seeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seekers.id", ondelete="RESTRICT"), index=True)
    vacancy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vacancies.id", ondelete="SET NULL"),
                                                         nullable=True, index=True)
    employer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("employers.id", ondelete="SET NULL"),
                                                          nullable=True, index=True)
    placement_type: Mapped[str] = mapped_column(String(20))  # market | public_welfare | self_employed
    placed_on: Mapped[date] = mapped_column(Date)
    monthly_salary_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Helped into work (the seeker was in service when placed) or found work themselves.
    assisted: Mapped[bool] = mapped_column(Boolean)
    # Denormalised from the seeker at placement time, for statistics by street and priority group.
    street_code: Mapped[str] = mapped_column(String(12))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | ended
    ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(120))
    follow_ups: Mapped[list[FollowUp]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                      order_by="FollowUp.month")


class FollowUp(UUIDPrimaryKey, Base):
    """A scheduled check 1, 3 or 6 months after placement: is the person still in work?"""

    __tablename__ = "follow_ups"
    __table_args__ = (
        UniqueConstraint("placement_id", "month"),
        Index("ix_follow_ups_status_due", "status", "due_on"),
        Index("ix_follow_ups_caseworker_status", "caseworker", "status"),
    )

    placement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    seeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), index=True)
    month: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    caseworker: Mapped[str] = mapped_column(String(120))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | done | cancelled
    outcome: Mapped[str | None] = mapped_column(String(20), nullable=True)  # employed | not_employed
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    done_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
