from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from services.chronic_care.deps import Caller, Now, Session
from services.chronic_care.dispensing import service
from services.chronic_care.dispensing.rules import Path, RefillStatus
from services.chronic_care.dispensing.schemas import (
    DrugOrderPage,
    OrderStatus,
    RefillCreate,
    RefillDeliver,
    RefillDispense,
    RefillPage,
    RefillRead,
    RefillReject,
)
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(tags=["dispensing"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)]


@router.post("/refills", status_code=status.HTTP_201_CREATED, response_model=RefillRead,
             summary="Request a refill: dispensed at the station, or ordered when outside its catalogue")
async def request_refill(body: RefillCreate, session: Session, principal: Caller, now: Now, response: Response,
                         idempotency_key: IdempotencyKey = None):
    refill, created = await service.request_refill(session, principal=principal, data=body, now=now,
                                                   idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return refill


@router.get("/refills", response_model=RefillPage)
async def list_refills(session: Session, principal: Caller, patient_id: uuid.UUID | None = None,
                       station_id: uuid.UUID | None = None,
                       status_: Annotated[RefillStatus | None, Query(alias="status")] = None,
                       path: Path | None = None, limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_refills(session, principal=principal, patient_id=patient_id,
                                                    station_id=station_id, status=status_, path=path, limit=limit,
                                                    cursor=cursor)
    return RefillPage(items=items, next_cursor=next_cursor)


@router.get("/refills/{refill_id}", response_model=RefillRead)
async def get_refill(refill_id: uuid.UUID, session: Session, principal: Caller):
    return await service.get_refill(session, principal=principal, refill_id=refill_id)


@router.post("/refills/{refill_id}/approve", response_model=RefillRead)
async def approve(refill_id: uuid.UUID, session: Session, principal: Caller, now: Now):
    return await service.transition(session, principal=principal, refill_id=refill_id, action="approve", now=now)


@router.post("/refills/{refill_id}/reject", response_model=RefillRead)
async def reject(refill_id: uuid.UUID, body: RefillReject, session: Session, principal: Caller, now: Now):
    return await service.transition(session, principal=principal, refill_id=refill_id, action="reject", now=now,
                                    reason=body.reason)


@router.post("/refills/{refill_id}/deliver", response_model=RefillRead)
async def deliver(refill_id: uuid.UUID, session: Session, principal: Caller, now: Now,
                  body: RefillDeliver | None = None):
    return await service.transition(session, principal=principal, refill_id=refill_id, action="deliver", now=now,
                                    delivered=body.quantity if body else None)


@router.post("/refills/{refill_id}/cancel", response_model=RefillRead)
async def cancel(refill_id: uuid.UUID, session: Session, principal: Caller, now: Now):
    return await service.transition(session, principal=principal, refill_id=refill_id, action="cancel", now=now)


@router.post("/refills/{refill_id}/dispense", response_model=RefillRead)
async def dispense(refill_id: uuid.UUID, session: Session, principal: Caller, now: Now,
                   body: RefillDispense | None = None):
    return await service.dispense(session, principal=principal, refill_id=refill_id,
                                  quantity=body.quantity if body else None, now=now)


@router.get("/drug-orders", response_model=DrugOrderPage, summary="Out-of-catalogue orders (the platform's queue)")
async def list_orders(session: Session, principal: Caller, station_id: uuid.UUID | None = None,
                      status_: Annotated[OrderStatus | None, Query(alias="status")] = None,
                      limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_orders(session, principal=principal, station_id=station_id,
                                                   status=status_, limit=limit, cursor=cursor)
    return DrugOrderPage(items=items, next_cursor=next_cursor)
