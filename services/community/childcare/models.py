from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class ChildcareSlot(UUIDPrimaryKey, Timestamps, Base):
    """A session of childcare (托育) at a station: a morning, a day, for children of an age range."""

    __tablename__ = "childcare_slots"
    __table_args__ = (CheckConstraint("booked_count >= 0 AND booked_count <= capacity", name="places"),)

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id", ondelete="RESTRICT"), index=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    booked_count: Mapped[int] = mapped_column(Integer, default=0)
    min_age_months: Mapped[int] = mapped_column(Integer)
    max_age_months: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    created_by: Mapped[str] = mapped_column(String(120))

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.booked_count, 0)


LIVE = "status IN ('booked', 'attended', 'no_show')"


class ChildcareBooking(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "childcare_bookings"
    __table_args__ = (
        Index("uq_childcare_bookings_slot_child_live", "slot_id", "resident_id", unique=True,
              postgresql_where=text(LIVE), sqlite_where=text(LIVE)),
    )

    slot_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("childcare_slots.id", ondelete="CASCADE"), index=True)
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id", ondelete="RESTRICT"), index=True)
    person_ref: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))  # booked | cancelled | attended | no_show
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    booked_by: Mapped[str] = mapped_column(String(120))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
