from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from services.community.db import Base
from shared.database import Timestamps, UTCDateTime, UUIDPrimaryKey


class Course(UUIDPrimaryKey, Timestamps, Base):
    """A public-welfare course or activity (公益课程, 儿童议事会, 小记者基地...) with limited places."""

    __tablename__ = "courses"
    __table_args__ = (
        # The last line of defence against over-booking (the enrolment use case locks the course row first).
        CheckConstraint("enrolled_count >= 0 AND enrolled_count <= capacity", name="places"),
        CheckConstraint("waitlisted_count >= 0", name="waitlist"),
    )

    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    station_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stations.id", ondelete="SET NULL"),
                                                         nullable=True, index=True)
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    street_code: Mapped[str] = mapped_column(String(12), index=True)
    community_code: Mapped[str] = mapped_column(String(12), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    waitlist_capacity: Mapped[int] = mapped_column(Integer)
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0)
    waitlisted_count: Mapped[int] = mapped_column(Integer, default=0)
    requests_taken: Mapped[int] = mapped_column(Integer, default=0)  # numbers the queue under the row lock
    min_age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(12), default="scheduled", index=True)
    created_by: Mapped[str] = mapped_column(String(120))

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)


ACTIVE = "status IN ('enrolled', 'waitlisted', 'attended', 'absent')"


class Enrolment(UUIDPrimaryKey, Timestamps, Base):
    """A person's place (or place in the queue) on a course."""

    __tablename__ = "enrolments"
    __table_args__ = (
        # One live enrolment per person and course; cancelling frees the person to enrol again.
        Index("uq_enrolments_course_resident_active", "course_id", "resident_id", unique=True,
              postgresql_where=text(ACTIVE), sqlite_where=text(ACTIVE)),
        Index("ix_enrolments_course_status_queue", "course_id", "status", "queue_no"),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    resident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("residents.id", ondelete="RESTRICT"), index=True)
    person_ref: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(12))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # First come, first served: the order requests took the course's lock in (clocks can tie; this cannot).
    queue_no: Mapped[int] = mapped_column(Integer)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    promoted_from_waitlist: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    requested_by: Mapped[str] = mapped_column(String(120))
