from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from services.community.access import Reader, Session, Staff
from services.community.escalation.rules import Severity
from services.community.workorders import service
from services.community.workorders.rules import WorkOrderStatus
from services.community.workorders.schemas import (
    Acknowledge,
    Arrive,
    Assign,
    Dispatch,
    Resolve,
    Review,
    WorkOrderPage,
    WorkOrderRead,
)
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/work-orders", tags=["work orders"])
Code = Annotated[str | None, Query(min_length=9, max_length=12)]


@router.get("", response_model=WorkOrderPage, summary="Work orders, newest first")
async def list_work_orders(
    session: Session, _: Reader, status_: Annotated[WorkOrderStatus | None, Query(alias="status")] = None,
    open_: Annotated[bool, Query(alias="open", description="Only open orders (raised .. on_site)")] = False,
    severity: Severity | None = None, assignee: Annotated[str | None, Query(max_length=120)] = None,
    community_code: Code = None, street_code: Code = None, household_id: uuid.UUID | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_work_orders(
        session, status=status_, open_only=open_, severity=severity, assignee=assignee,
        community_code=community_code, street_code=street_code, household_id=household_id, limit=limit,
        cursor=cursor)
    return {"items": [service.view(o) for o in items], "next_cursor": next_cursor}


@router.get("/{order_id}", response_model=WorkOrderRead)
async def get_work_order(order_id: uuid.UUID, session: Session, _: Reader):
    return service.view(await service.get_work_order(session, order_id=order_id))


@router.post("/{order_id}/acknowledge", response_model=WorkOrderRead,
             summary="raised → acknowledged: stops escalation; the acknowledging officer owns the order")
async def acknowledge(order_id: uuid.UUID, body: Acknowledge, session: Session, principal: Staff, now: Now):
    return service.view(await service.move(session, order_id=order_id, verb="acknowledge", actor=principal, now=now,
                                           note=body.note))


@router.post("/{order_id}/dispatch", response_model=WorkOrderRead, summary="acknowledged → dispatched")
async def dispatch(order_id: uuid.UUID, body: Dispatch, session: Session, principal: Staff, now: Now):
    return service.view(await service.move(session, order_id=order_id, verb="dispatch", actor=principal, now=now,
                                           note=body.note, responder=body.responder))


@router.post("/{order_id}/arrive", response_model=WorkOrderRead, summary="dispatched → on_site")
async def arrive(order_id: uuid.UUID, body: Arrive, session: Session, principal: Staff, now: Now):
    return service.view(await service.move(session, order_id=order_id, verb="arrive", actor=principal, now=now,
                                           note=body.note))


@router.post("/{order_id}/resolve", response_model=WorkOrderRead,
             summary="on_site → resolved (or acknowledged → resolved as a false alarm / remotely)")
async def resolve(order_id: uuid.UUID, body: Resolve, session: Session, principal: Staff, now: Now):
    return service.view(await service.move(session, order_id=order_id, verb="resolve", actor=principal, now=now,
                                           note=body.note, resolution=body.resolution))


@router.post("/{order_id}/review", response_model=WorkOrderRead,
             summary="resolved → reviewed, by someone other than the resolver")
async def review(order_id: uuid.UUID, body: Review, session: Session, principal: Staff, now: Now):
    return service.view(await service.move(session, order_id=order_id, verb="review", actor=principal, now=now,
                                           note=body.note, rating=body.rating))


@router.post("/{order_id}/assign", response_model=WorkOrderRead, summary="Hand an open order to someone")
async def assign(order_id: uuid.UUID, body: Assign, session: Session, principal: Staff, now: Now):
    return service.view(await service.assign(session, order_id=order_id, assignee=body.assignee, actor=principal,
                                             now=now))
