"""Placement and follow-up use cases. A placement is one transaction with all it causes: the seeker placed,
the post filled, the benefit stopped, the household re-evaluated (and cleared), the follow-ups scheduled,
and the events (seeker placed, household cleared, benefit stopped) in the outbox."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import ensure_street, is_staff, own_ref, scope_street
from services.jobs.assistance.service import accept_for_placement
from services.jobs.benefits.service import stop_for_placement
from services.jobs.db import outbox
from services.jobs.households.service import apply_employment
from services.jobs.placements.models import FollowUp, Placement
from services.jobs.placements.rules import (
    follow_up_dates,
    follow_up_refusal,
    placement_type_for,
    public_welfare_refusal,
)
from services.jobs.placements.schemas import FollowUpRecord, PlacementCreate
from services.jobs.seekers.models import Seeker
from services.jobs.seekers.rules import ASSISTANCE_GROUPS, refusal
from services.jobs.seekers.service import load_seeker, move
from services.jobs.vacancies.service import fill_post, get_vacancy
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.events.contracts.jobs import SeekerPlacedV1
from shared.pagination import paginate


async def place(session: AsyncSession, *, data: PlacementCreate, actor: Principal, now: datetime) -> Placement:
    placed_on = data.placed_on or now.date()
    if placed_on > now.date():
        raise InvalidInput("placed_on", "a placement is recorded once the person has started work")
    async with unit_of_work(session):
        seeker = await load_seeker(session, data.seeker_id, for_update=True)
        ensure_street(actor, seeker.street_code)
        why = refusal(seeker.stage, "place")
        if why:
            raise Conflict(why)
        vacancy = None
        if data.vacancy_id is not None:
            vacancy = await get_vacancy(session, vacancy_id=data.vacancy_id, for_update=True)
        kind, problem = placement_type_for(requested=data.placement_type,
                                           vacancy_public_welfare=vacancy.public_welfare if vacancy else None)
        if problem:
            raise InvalidInput("vacancy_id" if vacancy is None else "placement_type", problem)
        if kind == "public_welfare":
            why = public_welfare_refusal(seeker.priority_groups)
            if why:
                raise Conflict(why, [FieldError("vacancy_id", "public-welfare post")])
        if vacancy is not None:
            await fill_post(session, vacancy=vacancy, now=now)
            await accept_for_placement(session, seeker_id=seeker.id, vacancy_id=vacancy.id, now=now)
        assisted = seeker.stage == "in_service"
        placement = Placement(
            id=uuid.uuid4(), seeker_id=seeker.id, vacancy_id=vacancy.id if vacancy else None,
            employer_id=vacancy.employer_id if vacancy else None, placement_type=kind, placed_on=placed_on,
            monthly_salary_fen=data.monthly_salary_fen, assisted=assisted, street_code=seeker.street_code,
            priority=bool(ASSISTANCE_GROUPS.intersection(seeker.priority_groups)), status="active",
            recorded_by=actor.subject, created_at=now,
            follow_ups=[FollowUp(seeker_id=seeker.id, month=m, due_on=due, caseworker=seeker.caseworker,
                                 street_code=seeker.street_code, status="pending")
                        for m, due in follow_up_dates(placed_on)],
        )
        session.add(placement)
        await move(session, seeker, "place", by=actor.subject, now=now, reason=kind)
        seeker.placed_at, seeker.last_contact_at = now, now
        await stop_for_placement(session, seeker_id=seeker.id, placed_on=placed_on, now=now)
        household = await apply_employment(session, ref=seeker.person_ref, employed=True, now=now, by=actor.subject,
                                           cause=f"member placed ({kind})", seeker_id=seeker.id)
        await outbox.add(session, SeekerPlacedV1(
            seeker_id=seeker.id, person_ref=seeker.person_ref, street_code=seeker.street_code,
            household_id=household.id if household else None, placement_type=kind, placed_at=now,
            placement_id=placement.id, assisted=assisted))
    return placement


async def get_placement(session: AsyncSession, *, placement_id: uuid.UUID, principal: Principal,
                        for_update: bool = False) -> tuple[Placement, Seeker]:
    placement = await session.get(Placement, placement_id, with_for_update=for_update)
    if placement is None:
        raise NotFound(f"placement {placement_id} not found", [FieldError("placement_id", "no such placement")])
    seeker = await load_seeker(session, placement.seeker_id, for_update=for_update)
    if not is_staff(principal) and principal.person_ref != seeker.person_ref:
        raise NotFound(f"placement {placement_id} not found", [FieldError("placement_id", "no such placement")])
    return placement, seeker


async def list_placements(session: AsyncSession, *, principal: Principal, seeker_id: uuid.UUID | None,
                          street_code: str | None, placement_type: str | None, year: int | None, limit: int,
                          cursor: str | None):
    stmt = select(Placement)
    if not is_staff(principal):
        stmt = stmt.where(Placement.seeker_id.in_(select(Seeker.id).where(Seeker.person_ref == own_ref(principal))))
    street_code = scope_street(principal, street_code)
    if seeker_id:
        stmt = stmt.where(Placement.seeker_id == seeker_id)
    if street_code:
        stmt = stmt.where(Placement.street_code == street_code)
    if placement_type:
        stmt = stmt.where(Placement.placement_type == placement_type)
    if year:
        stmt = stmt.where(Placement.placed_on >= date(year, 1, 1), Placement.placed_on <= date(year, 12, 31))
    return await paginate(session, stmt, sort_column=Placement.created_at, id_column=Placement.id, limit=limit,
                          cursor=cursor, descending=True)


async def record_follow_up(session: AsyncSession, *, placement_id: uuid.UUID, month: int, data: FollowUpRecord,
                           actor: Principal, now: datetime) -> Placement:
    async with unit_of_work(session):
        placement, seeker = await get_placement(session, placement_id=placement_id, principal=actor, for_update=True)
        ensure_street(actor, seeker.street_code)
        follow_up = next((f for f in placement.follow_ups if f.month == month), None)
        if follow_up is None:
            raise NotFound(f"no {month}-month follow-up for this placement", [FieldError("month", "not scheduled")])
        why = follow_up_refusal(follow_up.status, follow_up.due_on, now.date())
        if why:
            raise Conflict(why)
        follow_up.status, follow_up.outcome, follow_up.note = "done", data.outcome, data.note
        follow_up.done_by, follow_up.done_at = actor.subject, now
        seeker.last_contact_at = now
        if data.outcome == "not_employed":
            # Out of work again: the placement ends, later follow-ups are moot, the seeker is served anew.
            placement.status, placement.ended_on = "ended", now.date()
            for other in placement.follow_ups:
                if other.status == "pending":
                    other.status = "cancelled"
            await move(session, seeker, "lose_job", by=actor.subject, now=now, reason=f"{month}-month follow-up")
            await apply_employment(session, ref=seeker.person_ref, employed=False, now=now, by=actor.subject,
                                   cause=f"member out of work ({month}-month follow-up)")
        elif all(f.status != "pending" for f in placement.follow_ups):
            await move(session, seeker, "close", by=actor.subject, now=now,
                       reason=f"{month}-month follow-up: still employed")
    return placement
