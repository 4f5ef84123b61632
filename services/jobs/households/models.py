from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.jobs.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Household(UUIDPrimaryKey, Timestamps, Base):
    """A household watched for zero employment (零就业家庭): flagged and cleared as its members' work changes."""

    __tablename__ = "households"

    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str | None] = mapped_column(String(15), nullable=True)
    label: Mapped[str | None] = mapped_column(String(100), nullable=True)  # e.g. building/unit, for officers
    status: Mapped[str] = mapped_column(String(20), index=True)  # zero_employment | clear
    flagged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cleared_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    members: Mapped[list[HouseholdMember]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                          order_by="HouseholdMember.birth_date")
    changes: Mapped[list[HouseholdChange]] = relationship(lazy="selectin", cascade="all, delete-orphan",
                                                          order_by="HouseholdChange.at")


class HouseholdMember(Base):
    """A member by person_ref (no ID number kept here): age and sex decide working age; ``employed`` is theirs."""

    __tablename__ = "household_members"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"),
                                                    primary_key=True)
    person_ref: Mapped[str] = mapped_column(String(40), primary_key=True, unique=True)
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    employed: Mapped[bool] = mapped_column(Boolean, default=False)
    seeker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("seekers.id", ondelete="SET NULL"), nullable=True)


class HouseholdChange(UUIDPrimaryKey, Base):
    """Flagged / cleared, when and why: the household's dynamic record (动态清零)."""

    __tablename__ = "household_changes"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    cause: Mapped[str] = mapped_column(String(200))
    by: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
