from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.community.access import Public, Reader, Session, Staff, StaffOrResident
from services.community.courses import service
from services.community.courses.rules import CourseKind, EnrolmentStatus
from services.community.courses.schemas import (
    Attendance,
    AttendanceResult,
    CourseCreate,
    CoursePage,
    CourseRead,
    CourseUpdate,
    EnrolmentCreate,
    EnrolmentPage,
    EnrolmentRead,
)
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from shared.query_types import IsoDateTime

router = APIRouter(tags=["courses and activities"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.post("/courses", status_code=status.HTTP_201_CREATED, response_model=CourseRead)
async def create_course(body: CourseCreate, session: Session, principal: Staff):
    return await service.create_course(session, data=body, actor=principal)


@router.get("/courses", response_model=CoursePage, summary="The course and activity calendar, soonest first")
async def list_courses(
    session: Session, _: Public, kind: CourseKind | None = None, station_id: uuid.UUID | None = None,
    community_code: Annotated[str | None, Query(min_length=12, max_length=12)] = None,
    starts_from: IsoDateTime | None = None, starts_before: IsoDateTime | None = None,
    with_places: Annotated[bool, Query(description="Only scheduled courses with places left")] = False,
    limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None,
):
    items, next_cursor = await service.list_courses(
        session, kind=kind, station_id=station_id, community_code=community_code, starts_from=starts_from,
        starts_before=starts_before, with_places=with_places, limit=limit, cursor=cursor)
    return CoursePage(items=items, next_cursor=next_cursor)


@router.get("/courses/{course_id}", response_model=CourseRead)
async def get_course(course_id: uuid.UUID, session: Session, _: Public):
    return await service.get_course(session, course_id=course_id)


@router.patch("/courses/{course_id}", response_model=CourseRead)
async def update_course(course_id: uuid.UUID, body: CourseUpdate, session: Session, principal: Staff, now: Now):
    return await service.update_course(session, course_id=course_id, data=body, actor=principal, now=now)


@router.post("/courses/{course_id}/cancel", response_model=CourseRead)
async def cancel_course(course_id: uuid.UUID, session: Session, principal: Staff, now: Now):
    return await service.cancel_course(session, course_id=course_id, actor=principal, now=now)


@router.post("/courses/{course_id}/enrolments", status_code=status.HTTP_201_CREATED, response_model=EnrolmentRead,
             summary="Enrol: a place while there is one, else the waiting list (which moves up by itself)")
async def enrol(course_id: uuid.UUID, body: EnrolmentCreate, session: Session, principal: StaffOrResident,
                now: Now):
    return await service.enrol(session, course_id=course_id, resident_id=body.resident_id, actor=principal, now=now)


@router.get("/courses/{course_id}/enrolments", response_model=EnrolmentPage)
async def list_enrolments(course_id: uuid.UUID, session: Session, _: Reader,
                          status_: Annotated[EnrolmentStatus | None, Query(alias="status")] = None,
                          limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_enrolments(session, course_id=course_id, status=status_, limit=limit,
                                                       cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/courses/{course_id}/attendance", response_model=AttendanceResult)
async def mark_attendance(course_id: uuid.UUID, body: Attendance, session: Session, principal: Staff, now: Now):
    return await service.mark_attendance(session, course_id=course_id, data=body, actor=principal, now=now)


@router.get("/enrolments/mine", response_model=EnrolmentPage, summary="The caller's household's enrolments")
async def my_enrolments(session: Session, principal: StaffOrResident, limit: Limit = DEFAULT_PAGE_SIZE,
                        cursor: Cursor = None):
    items, next_cursor = await service.my_enrolments(session, viewer=principal, limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/enrolments/{enrolment_id}/cancel", response_model=EnrolmentRead,
             summary="Give up a place; the head of the waiting list takes it")
async def cancel_enrolment(enrolment_id: uuid.UUID, session: Session, principal: StaffOrResident, now: Now):
    return await service.cancel_enrolment(session, enrolment_id=enrolment_id, actor=principal, now=now)
