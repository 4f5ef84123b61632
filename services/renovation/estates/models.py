from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from services.renovation.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow


class Estate(UUIDPrimaryKey, Timestamps, Base):
    """A residential estate or block (小区·区块): the unit renovation works on and residents belong to."""

    __tablename__ = "estates"
    __table_args__ = (UniqueConstraint("street_code", "name"),)

    name: Mapped[str] = mapped_column(String(200), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    built_year: Mapped[int] = mapped_column(Integer, index=True)
    floor_area_m2: Mapped[float] = mapped_column(Numeric(12, 2, asdecimal=False))
    households: Mapped[int] = mapped_column(Integer)  # households living there (a census figure)
    buildings: Mapped[int] = mapped_column(Integer)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)


class Household(UUIDPrimaryKey, Base):
    """A registered household (登记住户) of an estate: the unit that votes and rates, once."""

    __tablename__ = "households"
    __table_args__ = (UniqueConstraint("estate_id", "label"),)

    estate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("estates.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(60))  # e.g. 3幢2单元501
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    members: Mapped[list[HouseholdMember]] = relationship(
        back_populates="household", lazy="selectin", cascade="all, delete-orphan", order_by="HouseholdMember.added_at"
    )

    @property
    def member_refs(self) -> list[str]:
        return [m.person_ref for m in self.members]


class HouseholdMember(UUIDPrimaryKey, Base):
    """A person (by pseudonymous person_ref only) who may act for a household. One household per estate."""

    __tablename__ = "household_members"
    __table_args__ = (UniqueConstraint("estate_id", "person_ref"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    estate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("estates.id", ondelete="CASCADE"))
    person_ref: Mapped[str] = mapped_column(String(40), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    household: Mapped[Household] = relationship(back_populates="members")
