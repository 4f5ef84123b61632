"""Use cases of courses and enrolments. Every change of places locks the course row first, so concurrent
enrolments queue behind each other (PostgreSQL row lock; SQLite's single writer) and never over-book."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street, is_staff
from services.community.courses.models import Course, Enrolment
from services.community.courses.rules import (
    HOLDS_A_PLACE,
    age_refusal,
    attendance_refusal,
    enrolment_refusal,
    placement,
    promotions,
)
from services.community.courses.schemas import Attendance, CourseCreate, CourseUpdate
from services.community.integrity import conflict_on_duplicate
from services.community.localtime import local_date
from services.community.residents.rules import age_on
from services.community.residents.service import acting_for, household_member_ids
from services.community.stations.service import get_station
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from shared.locations import check_community, street_of
from shared.pagination import paginate


async def create_course(session: AsyncSession, *, data: CourseCreate, actor: Principal) -> Course:
    if data.station_id is not None:
        station = await get_station(session, station_id=data.station_id)
        community = data.community_code or station.community_code
        if community is None:
            raise InvalidInput("community_code", "the station belongs to no community: name one")
    elif data.community_code is None:
        raise InvalidInput("community_code", "give a station or a community")
    else:
        community = data.community_code
    check_community(community)
    street = street_of(community)
    ensure_street(actor, street)
    async with unit_of_work(session):
        course = Course(
            title=data.title, kind=data.kind, description=data.description, station_id=data.station_id,
            location=data.location, street_code=street, community_code=community, starts_at=data.starts_at,
            ends_at=data.ends_at, capacity=data.capacity,
            waitlist_capacity=data.waitlist_capacity if data.waitlist_capacity is not None else data.capacity,
            enrolled_count=0, waitlisted_count=0, requests_taken=0, min_age=data.min_age, max_age=data.max_age,
            status="scheduled", created_by=actor.subject,
        )
        session.add(course)
    return course


async def get_course(session: AsyncSession, *, course_id: uuid.UUID, for_update: bool = False) -> Course:
    course = await session.get(Course, course_id, with_for_update=for_update, populate_existing=for_update)
    if course is None:
        raise NotFound(f"course {course_id} not found", [FieldError("course_id", "no such course")])
    return course


async def list_courses(session: AsyncSession, *, kind: str | None, station_id: uuid.UUID | None,
                       community_code: str | None, starts_from: datetime | None, starts_before: datetime | None,
                       with_places: bool, limit: int, cursor: str | None):
    stmt = select(Course)
    if kind:
        stmt = stmt.where(Course.kind == kind)
    if station_id:
        stmt = stmt.where(Course.station_id == station_id)
    if community_code:
        stmt = stmt.where(Course.community_code == community_code)
    if starts_from:
        stmt = stmt.where(Course.starts_at >= starts_from)
    if starts_before:
        stmt = stmt.where(Course.starts_at < starts_before)
    if with_places:
        stmt = stmt.where(Course.status == "scheduled", Course.enrolled_count < Course.capacity)
    return await paginate(session, stmt, sort_column=Course.starts_at, id_column=Course.id, limit=limit,
                          cursor=cursor)


async def update_course(session: AsyncSession, *, course_id: uuid.UUID, data: CourseUpdate, actor: Principal,
                        now: datetime) -> Course:
    changes = data.model_dump(exclude_unset=True)
    for field in ("title", "capacity", "waitlist_capacity"):
        if field in changes and changes[field] is None:
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        course = await get_course(session, course_id=course_id, for_update=True)
        ensure_street(actor, course.street_code)
        if course.status != "scheduled":
            raise Conflict(f"a {course.status} course cannot change")
        if changes.get("capacity", course.capacity) < course.enrolled_count:
            raise InvalidInput("capacity", f"{course.enrolled_count} people already hold places: cancel some first")
        for field, value in changes.items():
            setattr(course, field, value)
        if now < course.starts_at:
            await _promote(session, course, now=now)
    return course


async def cancel_course(session: AsyncSession, *, course_id: uuid.UUID, actor: Principal, now: datetime) -> Course:
    async with unit_of_work(session):
        course = await get_course(session, course_id=course_id, for_update=True)
        ensure_street(actor, course.street_code)
        if course.status != "scheduled":
            raise Conflict(f"the course is already {course.status}")
        if now >= course.starts_at:
            raise Conflict("the course has started; it can no longer be cancelled")
        course.status = "cancelled"
    return course


async def enrol(session: AsyncSession, *, course_id: uuid.UUID, resident_id: uuid.UUID | None, actor: Principal,
                now: datetime) -> dict:
    async with unit_of_work(session):
        person = await acting_for(session, viewer=actor, resident_id=resident_id, now=now)
        course = await get_course(session, course_id=course_id, for_update=True)
        refusal = enrolment_refusal(status=course.status, starts_at=course.starts_at, now=now)
        if refusal:
            raise Conflict(refusal)
        too = age_refusal(age_on(person.birth_date, local_date(course.starts_at)), course.min_age, course.max_age)
        if too:
            raise InvalidInput("resident_id", too)
        if await session.scalar(select(Enrolment.id).where(
                Enrolment.course_id == course.id, Enrolment.resident_id == person.id,
                Enrolment.status != "cancelled")):
            raise Conflict("already enrolled or on the waiting list", [FieldError("resident_id", "already enrolled")])
        where = placement(enrolled=course.enrolled_count, capacity=course.capacity,
                          waitlisted=course.waitlisted_count, waitlist_capacity=course.waitlist_capacity)
        if where is None:
            raise Conflict("the course and its waiting list are full")
        course.requests_taken += 1
        enrolment = Enrolment(course_id=course.id, resident_id=person.id, person_ref=person.person_ref, status=where,
                              requested_at=now, queue_no=course.requests_taken,
                              enrolled_at=now if where == "enrolled" else None, requested_by=actor.subject)
        if where == "enrolled":
            course.enrolled_count += 1
        else:
            course.waitlisted_count += 1
        with conflict_on_duplicate("already enrolled or on the waiting list", "resident_id"):
            session.add(enrolment)
            await session.flush()
        position = await _waitlist_position(session, enrolment)
    return enrolment_view(enrolment, position)


async def _waitlist_position(session: AsyncSession, enrolment: Enrolment) -> int | None:
    if enrolment.status != "waitlisted":
        return None
    ahead = await session.scalar(select(func.count()).select_from(Enrolment).where(
        Enrolment.course_id == enrolment.course_id, Enrolment.status == "waitlisted",
        Enrolment.queue_no < enrolment.queue_no))
    return int(ahead or 0) + 1


async def _promote(session: AsyncSession, course: Course, *, now: datetime) -> list[Enrolment]:
    """Move the head of the waiting list into free places (inside the caller's transaction, course locked)."""
    n = promotions(enrolled=course.enrolled_count, capacity=course.capacity, waitlisted=course.waitlisted_count)
    if n == 0:
        return []
    moving = list((await session.scalars(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.status == "waitlisted")
        .order_by(Enrolment.queue_no).limit(n).with_for_update())).all())
    for enrolment in moving:
        enrolment.status, enrolment.enrolled_at, enrolment.promoted_from_waitlist = "enrolled", now, True
    course.enrolled_count += len(moving)
    course.waitlisted_count -= len(moving)
    return moving


async def get_enrolment(session: AsyncSession, *, enrolment_id: uuid.UUID) -> Enrolment:
    enrolment = await session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound(f"enrolment {enrolment_id} not found", [FieldError("enrolment_id", "no such enrolment")])
    return enrolment


async def cancel_enrolment(session: AsyncSession, *, enrolment_id: uuid.UUID, actor: Principal,
                           now: datetime) -> dict:
    """Give up a place (or a place in the queue); a freed place goes to the head of the waiting list."""
    async with unit_of_work(session):
        found = await get_enrolment(session, enrolment_id=enrolment_id)
        await _may_act_for(session, actor=actor, resident_id=found.resident_id)
        course = await get_course(session, course_id=found.course_id, for_update=True)  # course first, always
        enrolment = await session.get(Enrolment, enrolment_id, with_for_update=True, populate_existing=True)
        if enrolment.status not in ("enrolled", "waitlisted"):
            raise Conflict(f"a {enrolment.status} enrolment cannot be cancelled")
        if now >= course.starts_at:
            raise Conflict("the course has started; mark attendance instead")
        if enrolment.status == "enrolled":
            course.enrolled_count -= 1
        else:
            course.waitlisted_count -= 1
        enrolment.status, enrolment.cancelled_at = "cancelled", now
        if course.status == "scheduled":
            await _promote(session, course, now=now)
    return enrolment_view(enrolment, None)


async def _may_act_for(session: AsyncSession, *, actor: Principal, resident_id: uuid.UUID) -> None:
    if is_staff(actor):
        return
    if resident_id not in await household_member_ids(session, viewer=actor):
        raise Forbidden("a resident acts only for themself and their own household")


async def list_enrolments(session: AsyncSession, *, course_id: uuid.UUID, status: str | None, limit: int,
                          cursor: str | None) -> tuple[list[dict], str | None]:
    await get_course(session, course_id=course_id)
    stmt = select(Enrolment).where(Enrolment.course_id == course_id)
    if status:
        stmt = stmt.where(Enrolment.status == status)
    rows, next_cursor = await paginate(session, stmt, sort_column=Enrolment.queue_no, id_column=Enrolment.id,
                                       limit=limit, cursor=cursor)
    return [enrolment_view(e, await _waitlist_position(session, e)) for e in rows], next_cursor


async def my_enrolments(session: AsyncSession, *, viewer: Principal, limit: int,
                        cursor: str | None) -> tuple[list[dict], str | None]:
    members = await household_member_ids(session, viewer=viewer)
    if not members:
        return [], None
    stmt = select(Enrolment).where(Enrolment.resident_id.in_(members))
    rows, next_cursor = await paginate(session, stmt, sort_column=Enrolment.requested_at, id_column=Enrolment.id,
                                       limit=limit, cursor=cursor, descending=True)
    return [enrolment_view(e, await _waitlist_position(session, e)) for e in rows], next_cursor


async def mark_attendance(session: AsyncSession, *, course_id: uuid.UUID, data: Attendance, actor: Principal,
                          now: datetime) -> dict:
    both = set(data.attended) & set(data.absent)
    if both:
        raise InvalidInput("absent", f"{len(both)} enrolment(s) are marked both attended and absent")
    async with unit_of_work(session):
        course = await get_course(session, course_id=course_id, for_update=True)
        ensure_street(actor, course.street_code)
        wanted = {**dict.fromkeys(data.attended, "attended"), **dict.fromkeys(data.absent, "absent")}
        rows = {e.id: e for e in (await session.scalars(select(Enrolment).where(
            Enrolment.course_id == course.id, Enrolment.id.in_(wanted)).with_for_update())).all()}
        missing = [str(i) for i in wanted if i not in rows]
        if missing:
            field = "attended" if uuid.UUID(missing[0]) in set(data.attended) else "absent"
            raise InvalidInput(field, f"not enrolments of this course: {', '.join(missing[:5])}")
        for enrolment_id, mark in wanted.items():
            enrolment = rows[enrolment_id]
            refusal = attendance_refusal(course_status=course.status, starts_at=course.starts_at, now=now,
                                         enrolment_status=enrolment.status)
            if refusal:
                raise Conflict(refusal)
            enrolment.status, enrolment.attendance_marked_at = mark, now
        counts = dict((await session.execute(select(Enrolment.status, func.count()).where(
            Enrolment.course_id == course.id, Enrolment.status.in_(HOLDS_A_PLACE)).group_by(Enrolment.status))).all())
    return {"attended": counts.get("attended", 0), "absent": counts.get("absent", 0),
            "not_marked": counts.get("enrolled", 0)}


def enrolment_view(enrolment: Enrolment, position: int | None) -> dict:
    return {"id": enrolment.id, "course_id": enrolment.course_id, "resident_id": enrolment.resident_id,
            "status": enrolment.status, "waitlist_position": position, "requested_at": enrolment.requested_at,
            "enrolled_at": enrolment.enrolled_at, "promoted_from_waitlist": enrolment.promoted_from_waitlist,
            "cancelled_at": enrolment.cancelled_at, "attendance_marked_at": enrolment.attendance_marked_at}
