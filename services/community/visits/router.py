from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.community.access import Reader, Session, Staff
from services.community.visits import service
from services.community.visits.rules import VisitStatus
from services.community.visits.schemas import VisitAssign, VisitCancel, VisitComplete, VisitCreate, VisitPage, VisitRead
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/visits", tags=["home visits"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VisitRead,
             summary="Ask for a home visit (joins the person's open visit if there is one)")
async def create_visit(body: VisitCreate, session: Session, principal: Staff, now: Now):
    return await service.create_visit(session, data=body, actor=principal, now=now)


@router.get("", response_model=VisitPage, summary="Visits, soonest due first")
async def list_visits(
    session: Session, _: Reader, status_: Annotated[VisitStatus | None, Query(alias="status")] = None,
    open_: Annotated[bool, Query(alias="open")] = False, assignee: Annotated[str | None, Query(max_length=120)] = None,
    person_ref: Annotated[str | None, Query(max_length=40)] = None,
    community_code: Annotated[str | None, Query(min_length=12, max_length=12)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_visits(session, status=status_, open_only=open_, assignee=assignee,
                                                   person_ref=person_ref, community_code=community_code,
                                                   limit=limit, cursor=cursor)
    return VisitPage(items=items, next_cursor=next_cursor)


@router.get("/{visit_id}", response_model=VisitRead)
async def get_visit(visit_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_visit(session, visit_id=visit_id)


@router.post("/{visit_id}/assign", response_model=VisitRead)
async def assign(visit_id: uuid.UUID, body: VisitAssign, session: Session, principal: Staff, now: Now):
    return await service.change_visit(session, visit_id=visit_id, verb="assign", actor=principal, now=now,
                                      assignee=body.assignee)


@router.post("/{visit_id}/complete", response_model=VisitRead,
             summary="Record the visit's outcome; other areas learn it was done (community.visit.completed)")
async def complete(visit_id: uuid.UUID, body: VisitComplete, session: Session, principal: Staff, now: Now):
    return await service.change_visit(session, visit_id=visit_id, verb="complete", actor=principal, now=now,
                                      outcome=body.outcome, note=body.note)


@router.post("/{visit_id}/cancel", response_model=VisitRead)
async def cancel(visit_id: uuid.UUID, body: VisitCancel, session: Session, principal: Staff, now: Now):
    return await service.change_visit(session, visit_id=visit_id, verb="cancel", actor=principal, now=now,
                                      note=body.note)
