"""Use cases of future-community creation: applications, their lifecycle and scenario inspections."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street
from services.renovation.communities.models import (
    CommunityScenario,
    FutureCommunity,
    FutureCommunityTransition,
    ScenarioInspection,
)
from services.renovation.communities.rules import (
    NEEDS_REASON,
    OPEN,
    REQUIRED_SCENARIO,
    next_status,
    refusal,
    scenario_refusal,
)
from services.renovation.communities.schemas import (
    FutureCommunityCreate,
    FutureCommunityUpdate,
    ScenarioInspectionCreate,
)
from services.renovation.db import outbox
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.events.contracts.renovation import CommunityAcceptedV1
from shared.locations import check_community, street_of
from shared.pagination import paginate


async def apply(session: AsyncSession, *, data: FutureCommunityCreate, actor: Principal,
                now: datetime | None = None) -> FutureCommunity:
    now = now or utcnow()
    check_community(data.community_code)
    if REQUIRED_SCENARIO not in data.scenarios:
        raise InvalidInput("scenarios", f"must include {REQUIRED_SCENARIO} (一老一小)")
    if data.applied_on > now.date():
        raise InvalidInput("applied_on", "must not be in the future")
    street = street_of(data.community_code)
    ensure_street(actor, street)
    async with unit_of_work(session):
        active = await session.scalar(select(FutureCommunity.id).where(
            FutureCommunity.community_code == data.community_code, FutureCommunity.status != "rejected"))
        if active is not None:
            raise Conflict("this community already has an application under way or accepted",
                           [FieldError("community_code", f"application {active} exists")])
        application = FutureCommunity(
            name=data.name, community_code=data.community_code, street_code=street, level=data.level,
            batch=data.batch, applied_on=data.applied_on, beneficiaries=data.beneficiaries, status="applied",
            transitions=[], scenarios=[CommunityScenario(scenario=s, status="pending", inspections=[])
                                       for s in dict.fromkeys(data.scenarios)])
        session.add(application)
    return application


async def get_application(session: AsyncSession, *, application_id: uuid.UUID,
                          for_update: bool = False) -> FutureCommunity:
    application = await session.get(FutureCommunity, application_id, with_for_update=for_update)
    if application is None:
        raise NotFound(f"future-community application {application_id} not found",
                       [FieldError("application_id", "no such application")])
    return application


async def list_applications(
    session: AsyncSession, *, level: str | None, status: str | None, street_code: str | None, batch: str | None,
    year: int | None, limit: int, cursor: str | None,
) -> tuple[list[FutureCommunity], str | None]:
    stmt = select(FutureCommunity)
    if level:
        stmt = stmt.where(FutureCommunity.level == level)
    if status:
        stmt = stmt.where(FutureCommunity.status == status)
    if street_code:
        stmt = stmt.where(FutureCommunity.street_code == street_code)
    if batch:
        stmt = stmt.where(FutureCommunity.batch == batch)
    if year:
        stmt = stmt.where(applied_in_year(year))
    return await paginate(session, stmt, sort_column=FutureCommunity.applied_on, id_column=FutureCommunity.id,
                          limit=limit, cursor=cursor)


def applied_in_year(year: int):
    return and_(FutureCommunity.applied_on >= date(year, 1, 1), FutureCommunity.applied_on <= date(year, 12, 31))


async def update_application(session: AsyncSession, *, application_id: uuid.UUID, data: FutureCommunityUpdate,
                             actor: Principal) -> FutureCommunity:
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None:
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        application = await get_application(session, application_id=application_id, for_update=True)
        ensure_street(actor, application.street_code)
        # Beneficiaries keep being counted after acceptance (the figure grows as services open).
        if application.status not in OPEN and not (application.status == "accepted" and set(changes) <= {
                "beneficiaries"}):
            raise Conflict(f"an application that is {application.status} can no longer change")
        for field, value in changes.items():
            setattr(application, field, value)
    return application


async def transition(session: AsyncSession, *, application_id: uuid.UUID, action: str, reason: str | None,
                     actor: Principal, now: datetime | None = None) -> FutureCommunity:
    now = now or utcnow()
    async with unit_of_work(session):
        application = await get_application(session, application_id=application_id, for_update=True)
        ensure_street(actor, application.street_code)
        failed = [s.scenario for s in application.scenarios if s.status == "failed"]
        problem = refusal(application.status, action, failed_scenarios=failed)
        if problem:
            raise Conflict(problem)
        if action in NEEDS_REASON and not (reason and reason.strip()):
            raise InvalidInput("reason", f"is required to {action}")
        target = next_status(application.status, action)
        application.transitions.append(FutureCommunityTransition(
            from_status=application.status, to_status=target, reason=reason, by=actor.subject, at=now))
        application.status = target
        if target in ("accepted", "rejected"):
            application.decision_reason = reason
        if target == "accepted":
            application.accepted_on = now.date()
            await outbox.add(session, CommunityAcceptedV1(
                application_id=application.id, community_code=application.community_code, level=application.level,
                accepted_at=now))
    return application


async def inspect_scenario(session: AsyncSession, *, application_id: uuid.UUID, scenario: str,
                           data: ScenarioInspectionCreate, actor: Principal,
                           now: datetime | None = None) -> FutureCommunity:
    now = now or utcnow()
    if data.inspected_on > now.date():
        raise InvalidInput("inspected_on", "must not be in the future")
    async with unit_of_work(session):
        application = await get_application(session, application_id=application_id, for_update=True)
        ensure_street(actor, application.street_code)
        item = next((s for s in application.scenarios if s.scenario == scenario), None)
        if item is None:
            raise NotFound(f"the application does not cover the scenario {scenario}",
                           [FieldError("scenario", "not covered by this application")])
        problem = scenario_refusal(application.status, item.status)
        if problem:
            raise Conflict(problem)
        if data.inspected_on < application.applied_on:
            raise InvalidInput("inspected_on", f"must not be before the application ({application.applied_on})")
        item.inspections.append(ScenarioInspection(inspected_on=data.inspected_on, passed=data.passed,
                                                   note=data.note, by=actor.subject, recorded_at=now))
        item.status = "passed" if data.passed else "failed"
        item.inspected_on = data.inspected_on
    return application
