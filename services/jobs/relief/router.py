from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from services.jobs.access import Approver, Officer, Reader, Session
from services.jobs.benefits.schemas import Decision
from services.jobs.relief import service
from services.jobs.relief.rules import ReliefKind, ReliefStatus
from services.jobs.relief.schemas import ReliefCreate, ReliefPage, ReliefRead
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, IdempotencyKey, Limit, StreetCode
from shared.clock import Now

router = APIRouter(prefix="/relief", tags=["enterprise relief"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ReliefRead,
             summary="Prepare a relief record (reduce / refund / defer); a checker approves it")
async def prepare(body: ReliefCreate, session: Session, principal: Officer, now: Now, response: Response,
                  idempotency_key: IdempotencyKey = None):
    record, created = await service.prepare(session, data=body, actor=principal, now=now,
                                            idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return record


@router.get("", response_model=ReliefPage)
async def list_records(session: Session, _: Reader, employer_id: uuid.UUID | None = None,
                       status_: Annotated[ReliefStatus | None, Query(alias="status")] = None,
                       kind: ReliefKind | None = None, street_code: StreetCode = None, limit: Limit = DEFAULT_LIMIT,
                       cursor: Cursor = None):
    rows, next_cursor = await service.list_records(session, employer_id=employer_id, status=status_, kind=kind,
                                                   street_code=street_code, limit=limit, cursor=cursor)
    return ReliefPage(items=rows, next_cursor=next_cursor)


@router.get("/{record_id}", response_model=ReliefRead)
async def get_record(record_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_record(session, record_id=record_id)


@router.post("/{record_id}/{action}", response_model=ReliefRead,
             summary="Approve or refuse (not by the officer who prepared it; a reason is required)")
async def decide(record_id: uuid.UUID, action: Literal["approve", "refuse"], body: Decision, session: Session,
                 principal: Approver, now: Now):
    return await service.decide(session, record_id=record_id, action=action, reason=body.reason, actor=principal,
                                now=now)
