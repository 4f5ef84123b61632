"""Use cases of plans put to residents: creation, listing and the plan's answer."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street, is_staff_reader, resident_ref
from services.renovation.estates.models import HouseholdMember
from services.renovation.estates.service import get_estates
from services.renovation.participation.models import Plan, PlanEstate, PlanTransition
from services.renovation.participation.rules import ANSWERS, next_status
from services.renovation.participation.schemas import PlanCreate
from services.renovation.projects.service import get_project
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from shared.pagination import paginate


async def create_plan(session: AsyncSession, *, data: PlanCreate, actor: Principal,
                      now: datetime | None = None) -> Plan:
    now = now or utcnow()
    estate_ids = list(data.estate_ids)
    if data.project_id is not None:
        project = await get_project(session, project_id=data.project_id)
        outside = [str(e) for e in estate_ids if e not in project.estate_ids]
        if outside:
            raise InvalidInput("estate_ids", f"not estates of the project: {', '.join(outside)}")
        estate_ids = estate_ids or project.estate_ids
    if not estate_ids:
        raise InvalidInput("estate_ids", "name the affected estates (or a project)")
    estates = await get_estates(session, estate_ids=estate_ids)
    streets = sorted({e.street_code for e in estates})
    if len(streets) > 1:
        raise InvalidInput("estate_ids", f"estates lie in several streets ({', '.join(streets)}): one plan per street")
    if data.voting_closes_on is not None and data.voting_closes_on < now.date():
        raise InvalidInput("voting_closes_on", "must not be in the past")
    ensure_street(actor, streets[0])
    async with unit_of_work(session):
        plan = Plan(title=data.title, summary=data.summary, project_id=data.project_id, street_code=streets[0],
                    status="open", voting_closes_on=data.voting_closes_on, opened_at=now, transitions=[],
                    estate_links=[PlanEstate(estate_id=e.id) for e in estates])
        session.add(plan)
    return plan


async def get_plan(session: AsyncSession, *, plan_id: uuid.UUID, for_update: bool = False) -> Plan:
    plan = await session.get(Plan, plan_id, with_for_update=for_update)
    if plan is None:
        raise NotFound(f"plan {plan_id} not found", [FieldError("plan_id", "no such plan")])
    return plan


async def visible_plan(session: AsyncSession, *, plan_id: uuid.UUID, principal: Principal) -> Plan:
    """A plan the caller may see: staff and auditors see all, a resident those of the estates they live in."""
    plan = await get_plan(session, plan_id=plan_id)
    if not is_staff_reader(principal):
        ref = resident_ref(principal)
        member = await session.scalar(select(HouseholdMember.id).where(
            HouseholdMember.person_ref == ref, HouseholdMember.estate_id.in_(plan.estate_ids)).limit(1))
        if member is None:
            raise Forbidden("this plan concerns estates you are not registered in")
    return plan


async def list_plans(
    session: AsyncSession, *, principal: Principal, status: str | None, street_code: str | None,
    project_id: uuid.UUID | None, estate_id: uuid.UUID | None, limit: int, cursor: str | None,
) -> tuple[list[Plan], str | None]:
    stmt = select(Plan)
    if not is_staff_reader(principal):
        ref = resident_ref(principal)
        mine = select(PlanEstate.plan_id).join(HouseholdMember, HouseholdMember.estate_id == PlanEstate.estate_id) \
            .where(HouseholdMember.person_ref == ref)
        stmt = stmt.where(Plan.id.in_(mine))
    if status:
        stmt = stmt.where(Plan.status == status)
    if street_code:
        stmt = stmt.where(Plan.street_code == street_code)
    if project_id:
        stmt = stmt.where(Plan.project_id == project_id)
    if estate_id:
        stmt = stmt.where(Plan.id.in_(select(PlanEstate.plan_id).where(PlanEstate.estate_id == estate_id)))
    return await paginate(session, stmt, sort_column=Plan.created_at, id_column=Plan.id, limit=limit,
                          cursor=cursor, descending=True)


async def transition_plan(session: AsyncSession, *, plan_id: uuid.UUID, action: str, reason: str | None,
                          actor: Principal, now: datetime | None = None) -> Plan:
    now = now or utcnow()
    async with unit_of_work(session):
        plan = await get_plan(session, plan_id=plan_id, for_update=True)
        ensure_street(actor, plan.street_code)
        target = next_status(plan.status, action)
        if target is None:
            raise Conflict(f"cannot {action} a plan that is {plan.status}")
        if action in ANSWERS and not (reason and reason.strip()):
            raise InvalidInput("reason", "the answer to residents must give its reasons")
        plan.transitions.append(PlanTransition(from_status=plan.status, to_status=target, reason=reason,
                                               by=actor.subject, at=now))
        plan.status = target
        if action == "close":
            plan.closed_at = now
        else:
            plan.answer, plan.answered_at = reason, now
    return plan
