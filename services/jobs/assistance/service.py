"""Use cases of the loop's service side: acts of service, proactive contact, answers to recommendations."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import ensure_street
from services.jobs.assistance.models import ContactAttempt, ServiceAct
from services.jobs.assistance.rules import (
    act_refusal,
    counts_as_contact,
    expiry,
    recommendation_state,
    response_refusal,
)
from services.jobs.assistance.schemas import ActCreate, ActRead, ActResponse, ContactCreate
from services.jobs.seekers.service import ensure_may_read, load_seeker, move
from services.jobs.vacancies.service import get_vacancy
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.pagination import paginate


def act_view(act: ServiceAct, now: datetime) -> ActRead:
    return ActRead(id=act.id, seeker_id=act.seeker_id, kind=act.kind, vacancy_id=act.vacancy_id, note=act.note,
                   by=act.by, at=act.at, status=recommendation_state(act.status, act.expires_at, now),
                   expires_at=act.expires_at, responded_at=act.responded_at, response_note=act.response_note)


async def record_act(session: AsyncSession, *, seeker_id: uuid.UUID, data: ActCreate, actor: Principal,
                     now: datetime, ttl_days: int) -> ServiceAct:
    if data.kind == "job_recommendation" and data.vacancy_id is None:
        raise InvalidInput("vacancy_id", "a job recommendation names the vacancy")
    if data.kind != "job_recommendation" and data.vacancy_id is not None:
        raise InvalidInput("vacancy_id", "only a job recommendation names a vacancy")
    async with unit_of_work(session):
        seeker = await load_seeker(session, seeker_id, for_update=True)
        ensure_street(actor, seeker.street_code)
        why = act_refusal(data.kind, seeker.stage)
        if why:
            raise Conflict(why)
        act = ServiceAct(id=uuid.uuid4(), seeker_id=seeker.id, kind=data.kind, note=data.note, by=actor.subject,
                         at=now)
        if data.kind == "job_recommendation":
            vacancy = await get_vacancy(session, vacancy_id=data.vacancy_id)
            if vacancy.status != "open":
                raise Conflict("the vacancy is closed", [FieldError("vacancy_id", "closed")])
            pending = await session.scalar(select(ServiceAct.id).where(
                ServiceAct.seeker_id == seeker.id, ServiceAct.vacancy_id == vacancy.id, ServiceAct.status == "open",
                ServiceAct.expires_at > now))
            if pending is not None:
                raise Conflict("this vacancy is already recommended to the seeker and awaits an answer")
            act.vacancy_id, act.status, act.expires_at = vacancy.id, "open", expiry(now, ttl_days)
        session.add(act)
        if seeker.stage == "registered":
            await move(session, seeker, "serve", by=actor.subject, now=now, reason=data.kind)
        seeker.last_contact_at = now
    return act


async def respond(session: AsyncSession, *, act_id: uuid.UUID, data: ActResponse, actor: Principal,
                  now: datetime) -> ServiceAct:
    """The seeker's answer to a recommendation, recorded by their officer or by the seeker themselves."""
    async with unit_of_work(session):
        act = await session.get(ServiceAct, act_id, with_for_update=True)
        if act is None:
            raise NotFound(f"service act {act_id} not found")
        seeker = await load_seeker(session, act.seeker_id, for_update=True)
        ensure_may_read(actor, seeker)
        why = response_refusal(act.status, act.expires_at, now)
        if why:
            raise Conflict(why)
        act.status = "accepted" if data.answer == "accept" else "declined"
        act.responded_at, act.response_note = now, data.note
        seeker.last_contact_at = now
    return act


async def record_contact(session: AsyncSession, *, seeker_id: uuid.UUID, data: ContactCreate, actor: Principal,
                         now: datetime) -> ContactAttempt:
    async with unit_of_work(session):
        seeker = await load_seeker(session, seeker_id, for_update=True)
        ensure_street(actor, seeker.street_code)
        if seeker.stage == "followed_up":
            raise Conflict("the seeker's loop is closed: reopen it before contacting them again")
        attempt = ContactAttempt(id=uuid.uuid4(), seeker_id=seeker.id, channel=data.channel, outcome=data.outcome,
                                 note=data.note, by=actor.subject, at=now)
        session.add(attempt)
        if counts_as_contact(data.outcome):
            seeker.last_contact_at = now
    return attempt


async def list_acts(session: AsyncSession, *, seeker_id: uuid.UUID, principal: Principal, limit: int,
                    cursor: str | None) -> tuple[list[ServiceAct], str | None]:
    ensure_may_read(principal, await load_seeker(session, seeker_id))
    stmt = select(ServiceAct).where(ServiceAct.seeker_id == seeker_id)
    return await paginate(session, stmt, sort_column=ServiceAct.at, id_column=ServiceAct.id, limit=limit,
                          cursor=cursor, descending=True)


async def list_contacts(session: AsyncSession, *, seeker_id: uuid.UUID, principal: Principal, limit: int,
                        cursor: str | None) -> tuple[list[ContactAttempt], str | None]:
    ensure_may_read(principal, await load_seeker(session, seeker_id))
    stmt = select(ContactAttempt).where(ContactAttempt.seeker_id == seeker_id)
    return await paginate(session, stmt, sort_column=ContactAttempt.at, id_column=ContactAttempt.id, limit=limit,
                          cursor=cursor, descending=True)


async def expire_recommendations(session: AsyncSession, *, now: datetime) -> int:
    """Mark open recommendations past their expiry as expired (one set-based update)."""
    async with unit_of_work(session):
        result = await session.execute(
            update(ServiceAct).where(ServiceAct.kind == "job_recommendation", ServiceAct.status == "open",
                                     ServiceAct.expires_at <= now)
            .values(status="expired").execution_options(synchronize_session=False))
    return result.rowcount or 0


async def accept_for_placement(session: AsyncSession, *, seeker_id: uuid.UUID, vacancy_id: uuid.UUID,
                               now: datetime) -> None:
    """Inside a placement's transaction: an open recommendation of the vacancy it fills counts as accepted."""
    await session.execute(
        update(ServiceAct).where(ServiceAct.seeker_id == seeker_id, ServiceAct.vacancy_id == vacancy_id,
                                 ServiceAct.status == "open", ServiceAct.expires_at > now)
        .values(status="accepted", responded_at=now).execution_options(synchronize_session=False))
