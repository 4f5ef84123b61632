from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.renovation.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow


class Plan(UUIDPrimaryKey, Timestamps, Base):
    """A plan put to the residents of the affected estates (共谋): they vote, comment, and later rate it."""

    __tablename__ = "plans"

    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    project_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"),
                                                         nullable=True, index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    voting_closes_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)  # the reasons given with the decision
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Households that have voted, kept by the vote use cases so the overview never scans the votes.
    votes_count: Mapped[int] = mapped_column(Integer, default=0)
    estate_links: Mapped[list[PlanEstate]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    transitions: Mapped[list[PlanTransition]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="PlanTransition.at")

    @property
    def estate_ids(self) -> list[uuid.UUID]:
        return [link.estate_id for link in self.estate_links]


class PlanEstate(Base):
    __tablename__ = "plan_estates"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    estate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("estates.id", ondelete="RESTRICT"), primary_key=True,
                                                 index=True)


class PlanTransition(UUIDPrimaryKey, Base):
    __tablename__ = "plan_transitions"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class Vote(UUIDPrimaryKey, Base):
    """The one vote of a household on a plan; a later vote replaces it (never a second row)."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("plan_id", "household_id"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(8))  # for | against | abstain
    channel: Mapped[str] = mapped_column(String(8))  # online | paper | booth
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when the household voted (paper: on the ballot)
    recorded_by: Mapped[str] = mapped_column(String(120))
    revisions: Mapped[int] = mapped_column(Integer, default=0)  # how many times it was replaced


class Comment(UUIDPrimaryKey, Base):
    __tablename__ = "plan_comments"

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_kind: Mapped[str] = mapped_column(String(10))  # resident | staff
    author_subject: Mapped[str] = mapped_column(String(120))  # never shown to others
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"),
                                                           nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class Rating(UUIDPrimaryKey, Base):
    """A household's satisfaction (1-5) with an accepted plan's result (共评); a new rating replaces it."""

    __tablename__ = "plan_ratings"
    __table_args__ = (UniqueConstraint("plan_id", "household_id"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(SmallInteger)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)  # the plan's, for statistics


class RatingTally(Base):
    """Running totals of ratings per street and year (the year a rating was given), kept by the rating use case
    in the same transaction: the overview reads a few rows instead of scanning every rating."""

    __tablename__ = "rating_tallies"

    street_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    ratings: Mapped[int] = mapped_column(Integer, default=0)
    score_sum: Mapped[int] = mapped_column(Integer, default=0)
