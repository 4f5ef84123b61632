from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from services.jobs.access import Approver, Config, Officer, ReaderOrSelf, Session
from services.jobs.loans import service
from services.jobs.loans.rules import LoanStatus
from services.jobs.loans.schemas import Disbursement, LoanCreate, LoanDecision, LoanPage, LoanRead, RepaymentCreate
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, IdempotencyKey, Limit, StreetCode
from shared.clock import Now

router = APIRouter(prefix="/loans", tags=["start-up loans"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LoanRead,
             summary="A start-up guaranteed loan application, with its guarantors")
async def apply(body: LoanCreate, session: Session, principal: Officer, now: Now, config: Config):
    return await service.apply(session, data=body, actor=principal, now=now,
                               ref_key=config.person_ref_key.get_secret_value())


@router.get("", response_model=LoanPage, summary="Loans (a resident sees only their own)")
async def list_loans(session: Session, principal: ReaderOrSelf,
                     status_: Annotated[LoanStatus | None, Query(alias="status")] = None,
                     street_code: StreetCode = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    rows, next_cursor = await service.list_loans(session, principal=principal, status=status_,
                                                 street_code=street_code, limit=limit, cursor=cursor)
    return LoanPage(items=rows, next_cursor=next_cursor)


@router.get("/{loan_id}", response_model=LoanRead)
async def get_loan(loan_id: uuid.UUID, session: Session, principal: ReaderOrSelf):
    return await service.get_loan(session, loan_id=loan_id, principal=principal)


@router.post("/{loan_id}/disburse", response_model=LoanRead)
async def disburse(loan_id: uuid.UUID, body: Disbursement, session: Session, principal: Officer, now: Now):
    return await service.disburse(session, loan_id=loan_id, disbursed_on=body.disbursed_on, actor=principal, now=now)


@router.post("/{loan_id}/repayments", status_code=status.HTTP_201_CREATED, response_model=LoanRead,
             summary="Record a repayment (Idempotency-Key makes a retry harmless)")
async def repay(loan_id: uuid.UUID, body: RepaymentCreate, session: Session, principal: Officer, now: Now,
                response: Response, idempotency_key: IdempotencyKey = None):
    loan, created = await service.repay(session, loan_id=loan_id, data=body, actor=principal, now=now,
                                        idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return loan


@router.post("/{loan_id}/{action}", response_model=LoanRead,
             summary="Approve, reject or declare in default (a checker, never the preparer; with a reason)")
async def decide(loan_id: uuid.UUID, action: Literal["approve", "reject", "default"], body: LoanDecision,
                 session: Session, principal: Approver, now: Now):
    return await service.decide(session, loan_id=loan_id, action=action, data=body, actor=principal, now=now)
