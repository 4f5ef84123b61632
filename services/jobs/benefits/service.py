"""Use cases of unemployment-insurance benefits: claims, monthly batches under maker-checker, the ledger, and
the stop a placement causes (inside the placement's transaction)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import ensure_street, is_staff, own_ref
from services.jobs.approvals import check_decision
from services.jobs.benefits.models import BenefitClaim, BenefitPayment, PaymentBatch
from services.jobs.benefits.rules import (
    OPEN_CLAIMS,
    batch_refusal,
    batch_target,
    claim_refusal,
    claim_target,
    payable,
    stop_period_after_placement,
)
from services.jobs.benefits.schemas import ClaimCreate, Ledger
from services.jobs.db import outbox
from services.jobs.seekers.rules import ACTIVE_STAGES
from services.jobs.seekers.service import load_seeker
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, NotFound
from shared.events.contracts.jobs import BenefitStoppedV1
from shared.pagination import paginate

USED = ("pending", "paid")  # ledger lines that use up a month of entitlement


async def file_claim(session: AsyncSession, *, data: ClaimCreate, actor: Principal, now: datetime) -> BenefitClaim:
    async with unit_of_work(session):
        seeker = await load_seeker(session, data.seeker_id, for_update=True)
        ensure_street(actor, seeker.street_code)
        if seeker.stage not in ACTIVE_STAGES:
            raise Conflict(f"the benefit is for people out of work; this seeker is {seeker.stage}")
        open_claim = await session.scalar(select(BenefitClaim.id).where(
            BenefitClaim.seeker_id == seeker.id, BenefitClaim.status.in_(OPEN_CLAIMS)))
        if open_claim is not None:
            raise Conflict(f"claim {open_claim} is already open for this seeker",
                           [FieldError("seeker_id", "has an open claim")])
        claim = BenefitClaim(id=uuid.uuid4(), seeker_id=seeker.id, person_ref=seeker.person_ref,
                             street_code=seeker.street_code, monthly_amount_fen=data.monthly_amount_fen,
                             months_entitled=data.months_entitled, start_period=data.start_period,
                             status="pending", prepared_by=actor.subject, created_at=now)
        session.add(claim)
    return claim


async def get_claim(session: AsyncSession, *, claim_id: uuid.UUID, principal: Principal,
                    for_update: bool = False) -> BenefitClaim:
    claim = await session.get(BenefitClaim, claim_id, with_for_update=for_update)
    if claim is None or not (is_staff(principal) or principal.person_ref == claim.person_ref):
        raise NotFound(f"claim {claim_id} not found", [FieldError("claim_id", "no such claim")])
    return claim


async def list_claims(session: AsyncSession, *, principal: Principal, status: str | None, street_code: str | None,
                      seeker_id: uuid.UUID | None, limit: int, cursor: str | None):
    stmt = select(BenefitClaim)
    if not is_staff(principal):
        stmt = stmt.where(BenefitClaim.person_ref == own_ref(principal))
    if status:
        stmt = stmt.where(BenefitClaim.status == status)
    if street_code:
        stmt = stmt.where(BenefitClaim.street_code == street_code)
    if seeker_id:
        stmt = stmt.where(BenefitClaim.seeker_id == seeker_id)
    return await paginate(session, stmt, sort_column=BenefitClaim.created_at, id_column=BenefitClaim.id,
                          limit=limit, cursor=cursor, descending=True)


async def decide_claim(session: AsyncSession, *, claim_id: uuid.UUID, action: str, reason: str, actor: Principal,
                       now: datetime) -> BenefitClaim:
    async with unit_of_work(session):
        claim = await get_claim(session, claim_id=claim_id, principal=actor, for_update=True)
        why = claim_refusal(claim.status, action)
        if why:
            raise Conflict(why)
        text = check_decision(maker=claim.prepared_by, checker=actor.subject, reason=reason)
        claim.status, claim.decided_by, claim.decided_at, claim.decision_reason = (
            claim_target(action), actor.subject, now, text)
    return claim


async def ledger(session: AsyncSession, *, claim_id: uuid.UUID, principal: Principal) -> Ledger:
    claim = await get_claim(session, claim_id=claim_id, principal=principal)
    lines = list((await session.scalars(select(BenefitPayment).where(BenefitPayment.claim_id == claim.id)
                                        .order_by(BenefitPayment.period))).all())
    paid = [line for line in lines if line.status == "paid"]
    used = sum(1 for line in lines if line.status in USED)
    return Ledger(claim=claim, lines=lines, paid_fen=sum(line.amount_fen for line in paid), months_paid=len(paid),
                  months_left=max(claim.months_entitled - used, 0) if claim.status in OPEN_CLAIMS else 0)


async def prepare_batch(session: AsyncSession, *, period: str, actor: Principal, now: datetime) -> PaymentBatch:
    """Draft the period's payments: every approved claim payable in the period, one line each."""
    async with unit_of_work(session):
        taken = await session.scalar(select(PaymentBatch.id).where(
            PaymentBatch.period == period, PaymentBatch.status != "refused"))
        if taken is not None:
            raise Conflict(f"batch {taken} already covers {period}", [FieldError("period", "already prepared")])
        used = (select(BenefitPayment.claim_id, func.count().label("n")).where(BenefitPayment.status.in_(USED))
                .group_by(BenefitPayment.claim_id).subquery())
        rows = (await session.execute(
            select(BenefitClaim, func.coalesce(used.c.n, 0))
            .outerjoin(used, used.c.claim_id == BenefitClaim.id)
            .where(BenefitClaim.status == "approved", BenefitClaim.start_period <= period)
            .order_by(BenefitClaim.id))).all()
        batch = PaymentBatch(id=uuid.uuid4(), period=period, status="draft", prepared_by=actor.subject,
                             prepared_at=now, lines=0, total_fen=0, paid_fen=0)
        session.add(batch)
        await session.flush()
        lines = [
            {"id": uuid.uuid4(), "batch_id": batch.id, "claim_id": claim.id, "period": period,
             "street_code": claim.street_code, "amount_fen": claim.monthly_amount_fen, "status": "pending"}
            for claim, n in rows
            if payable(status=claim.status, start_period=claim.start_period, stop_from_period=claim.stop_from_period,
                       months_entitled=claim.months_entitled, months_used=n, period=period)
        ]
        if lines:
            await session.execute(BenefitPayment.__table__.insert(), lines)
        batch.lines, batch.total_fen = len(lines), sum(line["amount_fen"] for line in lines)
    return batch


async def get_batch(session: AsyncSession, *, batch_id: uuid.UUID, for_update: bool = False) -> PaymentBatch:
    batch = await session.get(PaymentBatch, batch_id, with_for_update=for_update)
    if batch is None:
        raise NotFound(f"batch {batch_id} not found", [FieldError("batch_id", "no such batch")])
    return batch


async def list_batches(session: AsyncSession, *, status: str | None, limit: int, cursor: str | None):
    stmt = select(PaymentBatch)
    if status:
        stmt = stmt.where(PaymentBatch.status == status)
    return await paginate(session, stmt, sort_column=PaymentBatch.prepared_at, id_column=PaymentBatch.id,
                          limit=limit, cursor=cursor, descending=True)


async def batch_lines(session: AsyncSession, *, batch_id: uuid.UUID, limit: int, cursor: str | None):
    await get_batch(session, batch_id=batch_id)
    stmt = select(BenefitPayment).where(BenefitPayment.batch_id == batch_id)
    return await paginate(session, stmt, sort_column=BenefitPayment.claim_id, id_column=BenefitPayment.id,
                          limit=limit, cursor=cursor)


async def decide_batch(session: AsyncSession, *, batch_id: uuid.UUID, action: str, reason: str, actor: Principal,
                       now: datetime) -> PaymentBatch:
    async with unit_of_work(session):
        batch = await get_batch(session, batch_id=batch_id, for_update=True)
        why = batch_refusal(batch.status, action)
        if why:
            raise Conflict(why)
        text = check_decision(maker=batch.prepared_by, checker=actor.subject, reason=reason)
        batch.status, batch.decided_by, batch.decided_at, batch.decision_reason = (
            batch_target(action), actor.subject, now, text)
        if action == "refuse":
            # A refused batch pays nothing: its lines go, so a corrected batch can be prepared for the period.
            await session.execute(delete(BenefitPayment).where(BenefitPayment.batch_id == batch.id))
    return batch


async def pay_batch(session: AsyncSession, *, batch_id: uuid.UUID, actor: Principal, now: datetime) -> PaymentBatch:
    """The approved batch is handed to the bank: its pending lines are paid; claims fully paid are exhausted."""
    async with unit_of_work(session):
        batch = await get_batch(session, batch_id=batch_id, for_update=True)
        why = batch_refusal(batch.status, "pay")
        if why:
            raise Conflict(why)
        await session.execute(update(BenefitPayment).where(
            BenefitPayment.batch_id == batch.id, BenefitPayment.status == "pending")
            .values(status="paid", paid_at=now).execution_options(synchronize_session=False))
        batch.paid_fen = int(await session.scalar(select(func.coalesce(func.sum(BenefitPayment.amount_fen), 0))
                                                  .where(BenefitPayment.batch_id == batch.id,
                                                         BenefitPayment.status == "paid")) or 0)
        batch.status, batch.paid_by, batch.paid_at = "paid", actor.subject, now
        paid = (select(BenefitPayment.claim_id, func.count().label("n")).where(BenefitPayment.status == "paid")
                .group_by(BenefitPayment.claim_id).subquery())
        done = (await session.scalars(
            select(BenefitClaim).join(paid, paid.c.claim_id == BenefitClaim.id)
            .where(BenefitClaim.status == "approved", paid.c.n >= BenefitClaim.months_entitled,
                   BenefitClaim.id.in_(select(BenefitPayment.claim_id).where(BenefitPayment.batch_id == batch.id)))
        )).all()
        for claim in done:
            claim.status, claim.stop_reason = "exhausted", "exhausted"
            await outbox.add(session, BenefitStoppedV1(
                claim_id=claim.id, person_ref=claim.person_ref, stop_from_period=batch.period, reason="exhausted",
                stopped_at=now))
    return batch


async def stop_for_placement(session: AsyncSession, *, seeker_id: uuid.UUID, placed_on: date, now: datetime) -> int:
    """Inside the placement's transaction: the seeker's open claims stop from the next period. Lines for later
    periods leave draft batches and are withheld in approved ones (never paid)."""
    stop = stop_period_after_placement(placed_on)
    claims = (await session.scalars(select(BenefitClaim).where(
        BenefitClaim.seeker_id == seeker_id, BenefitClaim.status.in_(OPEN_CLAIMS)).with_for_update())).all()
    for claim in claims:
        claim.status, claim.stop_from_period, claim.stop_reason = "stopped", stop, "placed"
        later = select(BenefitPayment.id, BenefitPayment.batch_id, BenefitPayment.amount_fen).where(
            BenefitPayment.claim_id == claim.id, BenefitPayment.period >= stop, BenefitPayment.status == "pending")
        for line_id, batch_id, amount in (await session.execute(later)).all():
            batch = await get_batch(session, batch_id=batch_id, for_update=True)
            if batch.status == "draft":
                await session.execute(delete(BenefitPayment).where(BenefitPayment.id == line_id))
                batch.lines -= 1
            else:
                await session.execute(update(BenefitPayment).where(BenefitPayment.id == line_id)
                                      .values(status="withheld"))
            batch.total_fen -= amount
        await outbox.add(session, BenefitStoppedV1(
            claim_id=claim.id, person_ref=claim.person_ref, stop_from_period=stop, reason="placed", stopped_at=now))
    return len(claims)
