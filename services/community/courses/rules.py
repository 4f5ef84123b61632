"""Courses as pure rules: places, the waiting list, who may enrol, attendance."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

CourseKind = Literal["public_welfare", "children_council", "reporter_base", "parent_child", "elderly_activity",
                     "health_talk"]
EnrolmentStatus = Literal["enrolled", "waitlisted", "cancelled", "attended", "absent"]
HOLDS_A_PLACE = ("enrolled", "attended", "absent")


def placement(*, enrolled: int, capacity: int, waitlisted: int, waitlist_capacity: int) -> str | None:
    """Where a new request goes: a place, the waiting list, or nowhere (None: both full)."""
    if enrolled < capacity:
        return "enrolled"
    if waitlisted < waitlist_capacity:
        return "waitlisted"
    return None


def enrolment_refusal(*, status: str, starts_at: datetime, now: datetime) -> str | None:
    if status != "scheduled":
        return f"the course is {status}"
    if now >= starts_at:
        return "the course has started; enrolment is closed"
    return None


def age_refusal(age: int, min_age: int | None, max_age: int | None) -> str | None:
    if min_age is not None and age < min_age:
        return f"aged {age}; the course is for ages {min_age}{'-' + str(max_age) if max_age is not None else '+'}"
    if max_age is not None and age > max_age:
        return f"aged {age}; the course is for ages {min_age or 0}-{max_age}"
    return None


def promotions(*, enrolled: int, capacity: int, waitlisted: int) -> int:
    """How many of the waiting list move up when places free (or capacity grows)."""
    return max(0, min(capacity - enrolled, waitlisted))


def attendance_refusal(*, course_status: str, starts_at: datetime, now: datetime, enrolment_status: str) -> str | None:
    if course_status != "scheduled":
        return f"the course is {course_status}"
    if now < starts_at:
        return "attendance is taken once the course has started"
    if enrolment_status not in HOLDS_A_PLACE:
        return f"a {enrolment_status} enrolment has no attendance"
    return None
