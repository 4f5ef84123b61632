"""Use cases of enterprise relief records, under maker-checker."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.approvals import check_decision
from services.jobs.employers.service import get_employer
from services.jobs.integrity import conflict_on_duplicate
from services.jobs.relief.models import ReliefRecord
from services.jobs.relief.rollups import count_approval
from services.jobs.relief.rules import policy_problem, refusal, target
from services.jobs.relief.schemas import EmployerReliefSummary, ReliefCreate
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.pagination import paginate


async def prepare(session: AsyncSession, *, data: ReliefCreate, actor: Principal, now: datetime,
                  idempotency_key: str | None) -> tuple[ReliefRecord, bool]:
    problem = policy_problem(data.policy, data.kind)
    if problem:
        raise InvalidInput("policy", problem)
    if idempotency_key:
        earlier = await session.scalar(select(ReliefRecord).where(
            ReliefRecord.prepared_by == actor.subject, ReliefRecord.idempotency_key == idempotency_key))
        if earlier is not None:
            same = (earlier.employer_id, earlier.kind, earlier.policy, earlier.period, earlier.amount_fen) == (
                data.employer_id, data.kind, data.policy, data.period, data.amount_fen)
            if not same:
                raise Conflict("this Idempotency-Key was used for a different relief record")
            return earlier, False
    employer = await get_employer(session, employer_id=data.employer_id)
    with conflict_on_duplicate("this Idempotency-Key was already used", "Idempotency-Key"):
        async with unit_of_work(session):
            record = ReliefRecord(id=uuid.uuid4(), street_code=employer.street_code, status="prepared",
                                  prepared_by=actor.subject, prepared_at=now, idempotency_key=idempotency_key,
                                  **data.model_dump())
            session.add(record)
    return record, True


async def get_record(session: AsyncSession, *, record_id: uuid.UUID, for_update: bool = False) -> ReliefRecord:
    record = await session.get(ReliefRecord, record_id, with_for_update=for_update)
    if record is None:
        raise NotFound(f"relief record {record_id} not found", [FieldError("record_id", "no such record")])
    return record


async def list_records(session: AsyncSession, *, employer_id: uuid.UUID | None, status: str | None,
                       kind: str | None, street_code: str | None, limit: int, cursor: str | None):
    stmt = select(ReliefRecord)
    if employer_id:
        stmt = stmt.where(ReliefRecord.employer_id == employer_id)
    if status:
        stmt = stmt.where(ReliefRecord.status == status)
    if kind:
        stmt = stmt.where(ReliefRecord.kind == kind)
    if street_code:
        stmt = stmt.where(ReliefRecord.street_code == street_code)
    return await paginate(session, stmt, sort_column=ReliefRecord.prepared_at, id_column=ReliefRecord.id,
                          limit=limit, cursor=cursor, descending=True)


async def decide(session: AsyncSession, *, record_id: uuid.UUID, action: str, reason: str, actor: Principal,
                 now: datetime) -> ReliefRecord:
    async with unit_of_work(session):
        record = await get_record(session, record_id=record_id, for_update=True)
        why = refusal(record.status, action)
        if why:
            raise Conflict(why)
        text = check_decision(maker=record.prepared_by, checker=actor.subject, reason=reason)
        record.status, record.decided_by, record.decided_at, record.decision_reason = (
            target(action), actor.subject, now, text)
        if record.status == "approved":
            await count_approval(session, year=now.year, street_code=record.street_code, kind=record.kind,
                                 amount_fen=record.amount_fen, employer_id=record.employer_id)
    return record


async def employer_summary(session: AsyncSession, *, employer_id: uuid.UUID) -> EmployerReliefSummary:
    await get_employer(session, employer_id=employer_id)
    rows = (await session.execute(
        select(ReliefRecord.kind, func.count(), func.coalesce(func.sum(ReliefRecord.amount_fen), 0))
        .where(ReliefRecord.employer_id == employer_id, ReliefRecord.status == "approved")
        .group_by(ReliefRecord.kind))).all()
    return EmployerReliefSummary(employer_id=employer_id, approved_records=sum(n for _, n, _ in rows),
                                 approved_fen=sum(int(f) for _, _, f in rows),
                                 by_kind={k: int(f) for k, _, f in rows})
