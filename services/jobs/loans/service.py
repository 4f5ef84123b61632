"""Use cases of start-up guaranteed loans, money under maker-checker."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import ensure_street, is_staff, own_ref
from services.jobs.approvals import check_decision
from services.jobs.loans.models import Guarantor, Loan, Repayment
from services.jobs.loans.rules import (
    after_repayment,
    application_problems,
    guarantee_shortfall,
    refusal,
    target,
)
from services.jobs.loans.schemas import LoanCreate, LoanDecision, RepaymentCreate
from services.jobs.seekers.service import load_seeker
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.identity import InvalidIdNumber, person_ref
from shared.locations import check_street
from shared.pagination import paginate


def _ref(raw: str, key: str, field: str) -> str:
    try:
        return person_ref(raw, key)
    except InvalidIdNumber as exc:
        raise InvalidInput(field, str(exc)) from exc


async def apply(session: AsyncSession, *, data: LoanCreate, actor: Principal, now: datetime, ref_key: str) -> Loan:
    check_street(data.street_code)
    ensure_street(actor, data.street_code)
    for field, problem in application_problems(data.borrower_kind, data.amount_fen, data.term_months):
        raise InvalidInput(field, problem)
    if (data.seeker_id is None) == (data.id_number is None):
        raise InvalidInput("seeker_id", "give the borrower as seeker_id or as id_number (one of them)")
    seeker_id = None
    if data.seeker_id is not None:
        seeker = await load_seeker(session, data.seeker_id)
        seeker_id, applicant = seeker.id, seeker.person_ref
    else:
        applicant = _ref(data.id_number, ref_key, "id_number")
    guarantors = []
    for i, g in enumerate(data.guarantors):
        if g.kind == "person":
            if not g.id_number or g.party:
                raise InvalidInput(f"guarantors.{i}.id_number", "a person guarantor is given by id_number only")
            party = _ref(g.id_number, ref_key, f"guarantors.{i}.id_number")
            if party == applicant:
                raise InvalidInput(f"guarantors.{i}.id_number", "the borrower cannot guarantee their own loan")
        else:
            if not g.party or g.id_number:
                raise InvalidInput(f"guarantors.{i}.party", f"a {g.kind} guarantor is given by name (party)")
            party = g.party
        guarantors.append(Guarantor(kind=g.kind, party=party, amount_fen=g.amount_fen))
    async with unit_of_work(session):
        live = await session.scalar(select(Loan.id).where(
            Loan.applicant_ref == applicant, Loan.status.in_(("applied", "approved"))))
        if live is not None:
            raise Conflict(f"loan {live} of this borrower is still being decided or disbursed")
        loan = Loan(id=uuid.uuid4(), applicant_ref=applicant, seeker_id=seeker_id, borrower_kind=data.borrower_kind,
                    business_name=data.business_name, street_code=data.street_code, amount_fen=data.amount_fen,
                    term_months=data.term_months, status="applied", prepared_by=actor.subject, applied_at=now,
                    disbursed_fen=0, repaid_fen=0, guarantors=guarantors, repayments=[])
        session.add(loan)
    return loan


async def get_loan(session: AsyncSession, *, loan_id: uuid.UUID, principal: Principal,
                   for_update: bool = False) -> Loan:
    loan = await session.get(Loan, loan_id, with_for_update=for_update)
    if loan is None or not (is_staff(principal) or principal.person_ref == loan.applicant_ref):
        raise NotFound(f"loan {loan_id} not found", [FieldError("loan_id", "no such loan")])
    return loan


async def list_loans(session: AsyncSession, *, principal: Principal, status: str | None, street_code: str | None,
                     limit: int, cursor: str | None):
    stmt = select(Loan)
    if not is_staff(principal):
        stmt = stmt.where(Loan.applicant_ref == own_ref(principal))
    if status:
        stmt = stmt.where(Loan.status == status)
    if street_code:
        stmt = stmt.where(Loan.street_code == street_code)
    return await paginate(session, stmt, sort_column=Loan.applied_at, id_column=Loan.id, limit=limit, cursor=cursor,
                          descending=True)


async def decide(session: AsyncSession, *, loan_id: uuid.UUID, action: str, data: LoanDecision, actor: Principal,
                 now: datetime) -> Loan:
    """approve | reject | default: a checker's decision with its reason."""
    async with unit_of_work(session):
        loan = await get_loan(session, loan_id=loan_id, principal=actor, for_update=True)
        why = refusal(loan.status, action)
        if why:
            raise Conflict(why)
        text = check_decision(maker=loan.prepared_by, checker=actor.subject, reason=data.reason)
        if action == "approve":
            amount = data.approved_fen or loan.amount_fen
            if amount > loan.amount_fen:
                raise InvalidInput("approved_fen", "cannot approve more than was asked")
            short = guarantee_shortfall(amount, (g.amount_fen for g in loan.guarantors))
            if short:
                raise Conflict(f"the guarantees fall {short} fen short of the amount",
                               [FieldError("approved_fen", "not covered by guarantees")])
            loan.approved_fen = amount
        elif data.approved_fen is not None:
            raise InvalidInput("approved_fen", f"only an approval names an amount, not {action}")
        if action == "default":
            loan.closed_on = now.date()
        loan.status, loan.decided_by, loan.decided_at, loan.decision_reason = target(action), actor.subject, now, text
    return loan


async def disburse(session: AsyncSession, *, loan_id: uuid.UUID, disbursed_on, actor: Principal,
                   now: datetime) -> Loan:
    async with unit_of_work(session):
        loan = await get_loan(session, loan_id=loan_id, principal=actor, for_update=True)
        ensure_street(actor, loan.street_code)
        why = refusal(loan.status, "disburse")
        if why:
            raise Conflict(why)
        day = disbursed_on or now.date()
        if day > now.date():
            raise InvalidInput("disbursed_on", "must not be in the future")
        loan.status, loan.disbursed_fen, loan.disbursed_on = "disbursed", loan.approved_fen, day
    return loan


async def repay(session: AsyncSession, *, loan_id: uuid.UUID, data: RepaymentCreate, actor: Principal,
                now: datetime, idempotency_key: str | None) -> tuple[Loan, bool]:
    async with unit_of_work(session):
        loan = await get_loan(session, loan_id=loan_id, principal=actor, for_update=True)
        if idempotency_key:
            earlier = next((r for r in loan.repayments if r.idempotency_key == idempotency_key), None)
            if earlier is not None:
                if earlier.amount_fen != data.amount_fen:
                    raise Conflict("this Idempotency-Key was used for a different repayment")
                return loan, False
        why = refusal(loan.status, "repay")
        if why:
            raise Conflict(why)
        left = loan.disbursed_fen - loan.repaid_fen
        if data.amount_fen > left:
            raise InvalidInput("amount_fen", f"only {left} fen is outstanding")
        day = data.paid_on or now.date()
        if day > now.date() or (loan.disbursed_on and day < loan.disbursed_on):
            raise InvalidInput("paid_on", "must lie between the disbursement and today")
        loan.repayments.append(Repayment(amount_fen=data.amount_fen, paid_on=day, recorded_by=actor.subject,
                                         idempotency_key=idempotency_key))
        loan.repaid_fen += data.amount_fen
        loan.status = after_repayment(loan.disbursed_fen, loan.repaid_fen)
        if loan.status == "repaid":
            loan.closed_on = day
    return loan, True
