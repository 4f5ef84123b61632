from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.jobs.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Seeker(UUIDPrimaryKey, Timestamps, Base):
    """A registered job seeker (求职登记) and where they are in the closed loop."""

    __tablename__ = "seekers"
    __table_args__ = (
        Index("ix_seekers_stage_street", "stage", "street_code"),
        Index("ix_seekers_caseworker_stage", "caseworker", "stage"),
    )

    # The ID number stays here, for authorised officers; everything that leaves the service uses person_ref.
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    person_ref: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    sex: Mapped[str] = mapped_column(String(1))  # from the ID number: M | F
    birth_date: Mapped[date] = mapped_column(Date)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str | None] = mapped_column(String(15), nullable=True)
    household_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("households.id", ondelete="SET NULL"), nullable=True, index=True)
    # ",graduate,disabled," so one LIKE finds a group on both backends; read through ``priority_groups``.
    groups: Mapped[str] = mapped_column(String(200), default="")
    education: Mapped[str | None] = mapped_column(String(20), nullable=True)
    desired_posts: Mapped[list[str]] = mapped_column(JSON, default=list)
    desired_salary_min_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    caseworker: Mapped[str] = mapped_column(String(120))
    stage: Mapped[str] = mapped_column(String(20), default="registered")
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, index=True)
    placed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    skill_rows: Mapped[list[SeekerSkill]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                         order_by="SeekerSkill.skill")
    stage_changes: Mapped[list[StageChange]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="StageChange.at")

    @property
    def priority_groups(self) -> list[str]:
        return [g for g in self.groups.split(",") if g]

    @priority_groups.setter
    def priority_groups(self, values: list[str]) -> None:
        self.groups = "," + ",".join(sorted(set(values))) + "," if values else ""

    @property
    def skills(self) -> list[str]:
        return [row.skill for row in self.skill_rows]


class SeekerSkill(Base):
    """One skill of a seeker, a row each so matching finds seekers by skill through an index."""

    __tablename__ = "seeker_skills"
    # (skill, seeker_id) covers matching's lookup by skill: no visit to the table's rows.
    __table_args__ = (Index("ix_seeker_skills_skill_seeker", "skill", "seeker_id"),)

    seeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), primary_key=True)
    skill: Mapped[str] = mapped_column(String(40), primary_key=True)


class StageChange(UUIDPrimaryKey, Base):
    """The loop's history: who moved the seeker from one stage to the next, when and why."""

    __tablename__ = "seeker_stage_changes"

    seeker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("seekers.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_stage: Mapped[str] = mapped_column(String(20))
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
