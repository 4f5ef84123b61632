"""Use cases of rehabilitation nursing plans and their home visits."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.patients.access import care_patient, readable_patient, visible_patient_ids
from services.chronic_care.patients.consent import ensure_consent
from services.chronic_care.patients.models import Patient
from services.chronic_care.rehab.models import NursingPlan, NursingVisit
from services.chronic_care.rehab.rules import next_status
from services.chronic_care.rehab.schemas import PlanCreate, VisitCreate
from services.chronic_care.stats import counters
from services.chronic_care.timeline import service as timeline
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, InvalidInput, NotFound
from shared.pagination import paginate


async def create_plan(session: AsyncSession, *, principal: Principal, data: PlanCreate, now: datetime) -> NursingPlan:
    if data.ends_on < data.starts_on:
        raise InvalidInput("ends_on", "must not be before starts_on")
    patient = await care_patient(session, principal, data.patient_id)
    await ensure_consent(session, patient, what="a nursing plan")
    async with unit_of_work(session):
        plan = NursingPlan(id=uuid.uuid4(), patient_id=patient.id, station_id=patient.station_id, goal=data.goal,
                           visits_per_month=data.visits_per_month, starts_on=data.starts_on, ends_on=data.ends_on,
                           status="active", created_by=principal.subject, visits=[])
        session.add(plan)
        await timeline.record(session, patient_id=patient.id, kind="nursing_plan", ref_id=plan.id,
                              summary=f"Rehabilitation nursing plan: {data.visits_per_month} visits a month", at=now)
    return plan


async def _plan_for_care(session: AsyncSession, principal: Principal, plan_id: uuid.UUID) -> NursingPlan:
    plan = await session.get(NursingPlan, plan_id)
    if plan is None:
        raise NotFound(f"nursing plan {plan_id} not found")
    await care_patient(session, principal, plan.patient_id)
    return plan


async def add_visit(session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID, data: VisitCreate,
                    now: datetime) -> NursingPlan:
    plan = await _plan_for_care(session, principal, plan_id)
    await ensure_consent(session, await session.get(Patient, plan.patient_id), what="a nursing visit")
    at = data.visited_at or now
    if at.tzinfo is None:
        raise InvalidInput("visited_at", "must carry a time zone (UTC)")
    if at > now:
        raise InvalidInput("visited_at", "must not be in the future")
    async with unit_of_work(session):
        await session.refresh(plan, with_for_update=True)
        if plan.status != "active":
            raise Conflict(f"the plan is {plan.status}")
        visit = NursingVisit(id=uuid.uuid4(), plan_id=plan.id, visited_at=at, by=principal.subject, notes=data.notes)
        plan.visits.append(visit)
        await counters.bump(session, station_id=plan.station_id, at=at, name="nursing_visits")
        await timeline.record(session, patient_id=plan.patient_id, kind="nursing_visit", ref_id=visit.id,
                              summary="Rehabilitation nursing visit", at=at)
    return plan


async def transition(session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID, action: str,
                     now: datetime) -> NursingPlan:
    plan = await _plan_for_care(session, principal, plan_id)
    async with unit_of_work(session):
        await session.refresh(plan, with_for_update=True)
        target = next_status(plan.status, action)
        if target is None:
            raise Conflict(f"cannot {action} a plan that is {plan.status}")
        plan.status, plan.closed_at = target, now
    return plan


async def get_plan(session: AsyncSession, *, principal: Principal, plan_id: uuid.UUID) -> NursingPlan:
    plan = await session.get(NursingPlan, plan_id)
    if plan is None:
        raise NotFound(f"nursing plan {plan_id} not found")
    await readable_patient(session, principal, plan.patient_id)
    return plan


async def list_plans(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID | None,
                     status: str | None, limit: int, cursor: str | None):
    stmt = select(NursingPlan).where(NursingPlan.patient_id.in_(await visible_patient_ids(session, principal)))
    if patient_id:
        stmt = stmt.where(NursingPlan.patient_id == patient_id)
    if status:
        stmt = stmt.where(NursingPlan.status == status)
    return await paginate(session, stmt, sort_column=NursingPlan.created_at, id_column=NursingPlan.id, limit=limit,
                          cursor=cursor, descending=True)
