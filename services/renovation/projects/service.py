"""Use cases of renovation projects: one transaction each; the session is passed in."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street
from services.renovation.db import outbox
from services.renovation.estates.models import Estate
from services.renovation.estates.service import get_estates
from services.renovation.milestones.models import Milestone
from services.renovation.programmes.models import Programme
from services.renovation.projects.models import Project, ProjectEstate, ProjectTransition, ScopeItem
from services.renovation.projects.rules import EDITABLE, refusal, scope_over_budget
from services.renovation.projects.schemas import ProjectCreate, ProjectUpdate, ScopeItemCreate
from services.renovation.projects.tallies import Contribution, contribution, move
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.events.contracts.renovation import ProjectAcceptedV1, ProjectStatusChangedV1
from shared.locations import check_street
from shared.pagination import paginate


def completion_in_year(year: int) -> ColumnElement[bool]:
    """Projects finishing in ``year``: finished then (actual end) or due then (planned end)."""
    finish = func.coalesce(Project.actual_end, Project.planned_end)
    return and_(finish >= date(year, 1, 1), finish <= date(year, 12, 31))


async def create_project(session: AsyncSession, *, data: ProjectCreate, actor: Principal) -> Project:
    estates = await get_estates(session, estate_ids=data.estate_ids)
    street = _street_of_estates(estates, data.street_code)
    ensure_street(actor, street)
    if data.programme_id is not None:
        await _check_programme(session, data.programme_id, estates)
    _check_scope_budget(data.budget_fen, data.scope_items)
    area = data.area_m2 if data.area_m2 is not None else round(sum(e.floor_area_m2 for e in estates), 2)
    async with unit_of_work(session):
        project = Project(
            name=data.name, street_code=street, programme_id=data.programme_id, description=data.description,
            area_m2=area, budget_fen=data.budget_fen, planned_start=data.planned_start,
            planned_end=data.planned_end, status="planned", progress_pct=0, transitions=[],
            estate_links=[ProjectEstate(estate_id=e.id) for e in estates],
            scope_items=[ScopeItem(position=i, **item.model_dump()) for i, item in enumerate(data.scope_items)],
        )
        session.add(project)
        await move(session, None, contribution(project))
    return project


def _street_of_estates(estates: list[Estate], given: str | None) -> str:
    streets = sorted({e.street_code for e in estates})
    if len(streets) > 1:
        # Works across streets are separate projects (each street runs its own); group them in a programme.
        raise InvalidInput("estate_ids", f"estates lie in several streets ({', '.join(streets)}): one project per "
                                         "street, grouped by a programme")
    if given is not None:
        check_street(given)
        if given != streets[0]:
            raise InvalidInput("street_code", f"the estates lie in street {streets[0]}, not {given}")
    return streets[0]


async def _check_programme(session: AsyncSession, programme_id: uuid.UUID, estates: list[Estate]) -> None:
    programme = await session.get(Programme, programme_id)
    if programme is None:
        raise NotFound(f"programme {programme_id} not found", [FieldError("programme_id", "no such programme")])
    outside = sorted({e.name for e in estates if e.community_code not in programme.community_codes})
    if outside:
        raise InvalidInput("programme_id", f"estates outside the programme's communities: {', '.join(outside)}")


def _check_scope_budget(budget_fen: int, items: list[ScopeItemCreate] | list[ScopeItem]) -> None:
    excess = scope_over_budget(budget_fen, (i.budget_fen for i in items))
    if excess:
        raise InvalidInput("scope_items", f"scope budgets exceed the project budget by {excess} fen")


async def get_project(session: AsyncSession, *, project_id: uuid.UUID, for_update: bool = False) -> Project:
    project = await session.get(Project, project_id, with_for_update=for_update)
    if project is None:
        raise NotFound(f"project {project_id} not found", [FieldError("project_id", "no such project")])
    return project


async def list_projects(
    session: AsyncSession, *, status: str | None = None, street_code: str | None = None,
    estate_id: uuid.UUID | None = None, programme_id: uuid.UUID | None = None, year: int | None = None,
    q: str | None = None, limit: int, cursor: str | None,
) -> tuple[list[Project], str | None]:
    stmt = select(Project)
    if status:
        stmt = stmt.where(Project.status == status)
    if street_code:
        stmt = stmt.where(Project.street_code == street_code)
    if estate_id:
        stmt = stmt.where(Project.id.in_(select(ProjectEstate.project_id).where(ProjectEstate.estate_id == estate_id)))
    if programme_id:
        stmt = stmt.where(Project.programme_id == programme_id)
    if year:
        stmt = stmt.where(completion_in_year(year))
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Project.name.like(f"%{escaped}%", escape="\\"))
    return await paginate(session, stmt, sort_column=Project.created_at, id_column=Project.id, limit=limit,
                          cursor=cursor)


async def update_project(session: AsyncSession, *, project_id: uuid.UUID, data: ProjectUpdate,
                         actor: Principal) -> Project:
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field not in ("description", "programme_id"):
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        if project.status not in EDITABLE:
            raise Conflict(f"the plan of a project that is {project.status} can no longer change")
        start = changes.get("planned_start", project.planned_start)
        end = changes.get("planned_end", project.planned_end)
        if end < start:
            raise InvalidInput("planned_end", "must not be before planned_start")
        if "budget_fen" in changes:
            _check_scope_budget(changes["budget_fen"], project.scope_items)
        if changes.get("programme_id") is not None:
            estates = await get_estates(session, estate_ids=project.estate_ids)
            await _check_programme(session, changes["programme_id"], estates)
        before = contribution(project)
        for field, value in changes.items():
            setattr(project, field, value)
        await move(session, before, contribution(project))
    return project


async def add_scope_item(session: AsyncSession, *, project_id: uuid.UUID, data: ScopeItemCreate,
                         actor: Principal) -> Project:
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        if project.status not in EDITABLE:
            raise Conflict(f"the scope of a project that is {project.status} can no longer change")
        _check_scope_budget(project.budget_fen, [*project.scope_items, data])
        position = max((i.position for i in project.scope_items), default=-1) + 1
        project.scope_items.append(ScopeItem(position=position, **data.model_dump()))
    return project


async def remove_scope_item(session: AsyncSession, *, project_id: uuid.UUID, item_id: uuid.UUID,
                            actor: Principal) -> Project:
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        if project.status not in EDITABLE:
            raise Conflict(f"the scope of a project that is {project.status} can no longer change")
        item = next((i for i in project.scope_items if i.id == item_id), None)
        if item is None:
            raise NotFound(f"scope item {item_id} not found", [FieldError("item_id", "no such scope item")])
        project.scope_items.remove(item)
    return project


async def transition_project(session: AsyncSession, *, project_id: uuid.UUID, action: str, actor: Principal,
                             now: datetime | None = None) -> Project:
    now = now or utcnow()
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        unfinished: list[str] = []
        if action == "complete":
            unfinished = list((await session.scalars(select(Milestone.name).where(
                Milestone.project_id == project.id, Milestone.progress_pct < 100).order_by(Milestone.planned_date)
            )).all())
        reason = refusal(project.status, action, unfinished_milestones=unfinished)
        if reason:
            raise Conflict(reason)
        target = {"approve": "approved", "start": "in_progress", "complete": "completed"}[action]
        before = contribution(project)
        if action == "start":
            project.actual_start = now.date()
        elif action == "complete":
            project.actual_end = now.date()
        await record_transition(session, project=project, target=target, by=actor.subject, now=now,
                                before=before)
    return project


async def record_transition(session: AsyncSession, *, project: Project, target: str, by: str,
                            now: datetime, before: Contribution | None = None) -> None:
    """Inside the caller's transaction: the status change, who and when, its events (outbox) and the running
    totals (``before``: the project's contribution before the caller changed it, if it did)."""
    before = before or contribution(project)
    previous = project.status
    project.transitions.append(ProjectTransition(from_status=previous, to_status=target, by=by, at=now))
    project.status = target
    await move(session, before, contribution(project))
    await outbox.add(session, ProjectStatusChangedV1(
        project_id=project.id, from_status=previous, to_status=target, street_code=project.street_code,
        area_m2=project.area_m2, changed_at=now,
    ))
    if target == "accepted":
        await outbox.add(session, ProjectAcceptedV1(
            project_id=project.id, street_code=project.street_code, area_m2=project.area_m2,
            estate_ids=project.estate_ids, accepted_at=now,
        ))
