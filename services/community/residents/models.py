from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.community.db import Base
from shared.database import Timestamps, UUIDPrimaryKey


class Household(UUIDPrimaryKey, Timestamps, Base):
    """A home in the community: where its members live, where help goes and where walks start."""

    __tablename__ = "households"

    label: Mapped[str] = mapped_column(String(100))  # e.g. 振宁3幢2单元301
    address: Mapped[str] = mapped_column(String(200))
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    members: Mapped[list[Resident]] = relationship(back_populates="household", lazy="selectin",
                                                   order_by="Resident.birth_date")


class Resident(UUIDPrimaryKey, Timestamps, Base):
    """A person the community serves. ``person_ref`` links them to other services; the ID number, name and
    phone stay here and are masked for everyone but community staff and the person."""

    __tablename__ = "residents"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="RESTRICT"), index=True)
    person_ref: Mapped[str] = mapped_column(String(40), unique=True)
    id_number: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    lives_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    low_income: Mapped[bool] = mapped_column(Boolean, default=False)  # 低保/低边: a larger meal subsidy
    street_code: Mapped[str] = mapped_column(String(12), index=True)  # the household's, for street figures
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    # Never loaded through the resident (``raise``): use cases load the household with its members.
    household: Mapped[Household] = relationship(back_populates="members", lazy="raise")
