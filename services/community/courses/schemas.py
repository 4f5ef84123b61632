from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from services.community.courses.rules import CourseKind, EnrolmentStatus
from shared.pagination import Page


class CourseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    kind: CourseKind
    description: str | None = Field(None, max_length=5000)
    station_id: uuid.UUID | None = Field(None, description="Where it is held; its community is the course's")
    community_code: str | None = Field(None, min_length=12, max_length=12,
                                       description="Required when no station is given")
    location: str | None = Field(None, max_length=200)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(ge=1, le=5000)
    waitlist_capacity: int | None = Field(None, ge=0, le=5000, description="Defaults to the capacity")
    min_age: int | None = Field(None, ge=0, le=120)
    max_age: int | None = Field(None, ge=0, le=120)

    @field_validator("ends_at")
    @classmethod
    def _after_start(cls, ends: datetime, info: ValidationInfo) -> datetime:
        starts = info.data.get("starts_at")
        if starts is not None and ends <= starts:
            raise ValueError("must be after starts_at")
        return ends

    @field_validator("max_age")
    @classmethod
    def _ages_in_order(cls, max_age: int | None, info: ValidationInfo) -> int | None:
        min_age = info.data.get("min_age")
        if max_age is not None and min_age is not None and max_age < min_age:
            raise ValueError("must not be below min_age")
        return max_age


class CourseUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    location: str | None = Field(None, max_length=200)
    capacity: int | None = Field(None, ge=1, le=5000, description="Growing it promotes the waiting list")
    waitlist_capacity: int | None = Field(None, ge=0, le=5000)


class CourseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    kind: CourseKind
    description: str | None
    station_id: uuid.UUID | None
    location: str | None
    street_code: str
    community_code: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    waitlist_capacity: int
    enrolled_count: int
    waitlisted_count: int
    places_left: int
    min_age: int | None
    max_age: int | None
    status: str
    created_at: datetime


class EnrolmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resident_id: uuid.UUID | None = Field(None, description="Who attends; a resident omitting it enrols themself "
                                                            "(or names a member of their household, e.g. a child)")


class EnrolmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    course_id: uuid.UUID
    resident_id: uuid.UUID
    status: EnrolmentStatus
    waitlist_position: int | None = Field(None, description="1 = next to move up (waitlisted only)")
    requested_at: datetime
    enrolled_at: datetime | None
    promoted_from_waitlist: bool
    cancelled_at: datetime | None
    attendance_marked_at: datetime | None


class Attendance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attended: list[uuid.UUID] = Field(default_factory=list, max_length=5000)
    absent: list[uuid.UUID] = Field(default_factory=list, max_length=5000)


class AttendanceResult(BaseModel):
    attended: int
    absent: int
    not_marked: int


CoursePage = Page[CourseRead]
EnrolmentPage = Page[EnrolmentRead]
