from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from services.jobs.access import Approver, Officer, Reader, ReaderOrSelf, Session
from services.jobs.benefits import service
from services.jobs.benefits.rules import BatchStatus, ClaimStatus
from services.jobs.benefits.schemas import (
    BatchCreate,
    BatchPage,
    BatchRead,
    ClaimCreate,
    ClaimPage,
    ClaimRead,
    Decision,
    Ledger,
    LinePage,
)
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit, StreetCode
from shared.clock import Now

router = APIRouter(prefix="/benefits", tags=["unemployment benefit"])


@router.post("/claims", status_code=status.HTTP_201_CREATED, response_model=ClaimRead,
             summary="File a benefit claim for a seeker out of work (a checker approves it)")
async def file_claim(body: ClaimCreate, session: Session, principal: Officer, now: Now):
    return await service.file_claim(session, data=body, actor=principal, now=now)


@router.get("/claims", response_model=ClaimPage, summary="Claims (a resident sees only their own)")
async def list_claims(session: Session, principal: ReaderOrSelf,
                      status_: Annotated[ClaimStatus | None, Query(alias="status")] = None,
                      street_code: StreetCode = None, seeker_id: uuid.UUID | None = None,
                      limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    rows, next_cursor = await service.list_claims(session, principal=principal, status=status_,
                                                  street_code=street_code, seeker_id=seeker_id, limit=limit,
                                                  cursor=cursor)
    return ClaimPage(items=rows, next_cursor=next_cursor)


@router.get("/claims/{claim_id}", response_model=ClaimRead)
async def get_claim(claim_id: uuid.UUID, session: Session, principal: ReaderOrSelf):
    return await service.get_claim(session, claim_id=claim_id, principal=principal)


@router.get("/claims/{claim_id}/ledger", response_model=Ledger, summary="What was paid, withheld, and is left")
async def ledger(claim_id: uuid.UUID, session: Session, principal: ReaderOrSelf):
    return await service.ledger(session, claim_id=claim_id, principal=principal)


@router.post("/claims/{claim_id}/{action}", response_model=ClaimRead,
             summary="Approve or reject a claim (not by the officer who filed it; a reason is required)")
async def decide_claim(claim_id: uuid.UUID, action: Literal["approve", "reject"], body: Decision, session: Session,
                       principal: Approver, now: Now):
    return await service.decide_claim(session, claim_id=claim_id, action=action, reason=body.reason,
                                      actor=principal, now=now)


@router.post("/batches", status_code=status.HTTP_201_CREATED, response_model=BatchRead,
             summary="Prepare the month's payment batch from every payable claim")
async def prepare_batch(body: BatchCreate, session: Session, principal: Officer, now: Now):
    return await service.prepare_batch(session, period=body.period, actor=principal, now=now)


@router.get("/batches", response_model=BatchPage)
async def list_batches(session: Session, _: Reader,
                       status_: Annotated[BatchStatus | None, Query(alias="status")] = None,
                       limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    rows, next_cursor = await service.list_batches(session, status=status_, limit=limit, cursor=cursor)
    return BatchPage(items=rows, next_cursor=next_cursor)


@router.get("/batches/{batch_id}", response_model=BatchRead)
async def get_batch(batch_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_batch(session, batch_id=batch_id)


@router.get("/batches/{batch_id}/lines", response_model=LinePage)
async def batch_lines(batch_id: uuid.UUID, session: Session, _: Reader, limit: Limit = DEFAULT_LIMIT,
                      cursor: Cursor = None):
    rows, next_cursor = await service.batch_lines(session, batch_id=batch_id, limit=limit, cursor=cursor)
    return LinePage(items=rows, next_cursor=next_cursor)


@router.post("/batches/{batch_id}/pay", response_model=BatchRead,
             summary="Hand an approved batch to the bank: its lines are paid")
async def pay_batch(batch_id: uuid.UUID, session: Session, principal: Officer, now: Now):
    return await service.pay_batch(session, batch_id=batch_id, actor=principal, now=now)


@router.post("/batches/{batch_id}/{action}", response_model=BatchRead,
             summary="Approve or refuse a batch (not by the officer who prepared it; a reason is required)")
async def decide_batch(batch_id: uuid.UUID, action: Literal["approve", "refuse"], body: Decision, session: Session,
                       principal: Approver, now: Now):
    return await service.decide_batch(session, batch_id=batch_id, action=action, reason=body.reason,
                                      actor=principal, now=now)
