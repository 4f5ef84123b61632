"""Use cases of milestones and the public timeline of a project."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.acceptance.models import Defect, Inspection
from services.renovation.access import ensure_street
from services.renovation.estates.models import HouseholdMember
from services.renovation.milestones.models import Milestone, MilestoneUpdate
from services.renovation.milestones.schemas import (
    MilestoneCreate,
    ProgressReport,
    PublicMilestone,
    Timeline,
    TimelineEntry,
)
from services.renovation.projects.models import Project, ProjectEstate
from services.renovation.projects.rules import MILESTONE_PLANNING, PROGRESS_REPORTING, overall_progress
from services.renovation.projects.service import get_project
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, FieldError, NotFound

STATUS_TITLES = {"approved": "立项批准", "in_progress": "开工", "completed": "完工", "accepted": "通过验收"}


async def add_milestone(session: AsyncSession, *, project_id: uuid.UUID, data: MilestoneCreate,
                        actor: Principal) -> Milestone:
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        if project.status not in MILESTONE_PLANNING:
            raise Conflict(f"milestones cannot be added to a project that is {project.status}")
        milestone = Milestone(project_id=project.id, name=data.name, planned_date=data.planned_date,
                              public=data.public, progress_pct=0, updates=[])
        session.add(milestone)
        await session.flush()
        await _refresh_progress(session, project)
    return milestone


async def report_progress(session: AsyncSession, *, project_id: uuid.UUID, milestone_id: uuid.UUID,
                          data: ProgressReport, actor: Principal, now: datetime | None = None) -> Milestone:
    now = now or utcnow()
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        milestone = await session.get(Milestone, milestone_id)
        if milestone is None or milestone.project_id != project.id:
            raise NotFound(f"milestone {milestone_id} not found", [FieldError("milestone_id", "no such milestone")])
        if project.status not in PROGRESS_REPORTING:
            raise Conflict(f"progress is reported while works are approved or under way; project is {project.status}")
        milestone.progress_pct = data.progress_pct
        milestone.completed_on = now.date() if data.progress_pct == 100 else None
        milestone.updates.append(MilestoneUpdate(progress_pct=data.progress_pct, note=data.note,
                                                 by=actor.subject, at=now))
        await session.flush()
        await _refresh_progress(session, project)
    return milestone


async def _refresh_progress(session: AsyncSession, project) -> None:
    values = (await session.scalars(select(Milestone.progress_pct).where(Milestone.project_id == project.id))).all()
    project.progress_pct = overall_progress(values)


async def list_milestones(session: AsyncSession, *, project_id: uuid.UUID) -> list[Milestone]:
    await get_project(session, project_id=project_id)
    return list((await session.scalars(select(Milestone).where(Milestone.project_id == project_id)
                                       .order_by(Milestone.planned_date, Milestone.created_at))).all())


async def timeline(session: AsyncSession, *, project_id: uuid.UUID) -> Timeline:
    project = await get_project(session, project_id=project_id)
    milestones = [m for m in await list_milestones(session, project_id=project_id) if m.public]
    entries = [TimelineEntry(at=t.at, kind="status", title=STATUS_TITLES.get(t.to_status, t.to_status),
                             status=t.to_status) for t in project.transitions]
    for m in milestones:
        entries += [TimelineEntry(at=u.at, kind="progress", title=m.name, progress_pct=u.progress_pct, note=u.note)
                    for u in m.updates]
    inspections = (await session.scalars(select(Inspection).where(Inspection.project_id == project_id))).all()
    found = {i.id: 0 for i in inspections}
    for defect_round in (await session.scalars(select(Defect.found_in_id).where(Defect.project_id == project_id))):
        found[defect_round] = found.get(defect_round, 0) + 1
    for i in inspections:
        title = f"第{i.round}次验收" + ("：通过" if i.passed else f"：发现问题{found.get(i.id, 0)}项，整改中")
        entries.append(TimelineEntry(at=datetime.combine(i.inspected_on, time(), tzinfo=UTC), kind="inspection",
                                     title=title))
    entries.sort(key=lambda e: e.at)
    return Timeline(
        project_id=project.id, name=project.name, status=project.status, progress_pct=project.progress_pct,
        planned_start=project.planned_start, planned_end=project.planned_end, actual_start=project.actual_start,
        actual_end=project.actual_end,
        milestones=[PublicMilestone(name=m.name, planned_date=m.planned_date, progress_pct=m.progress_pct,
                                    completed_on=m.completed_on) for m in milestones],
        entries=entries)


async def projects_of_resident(session: AsyncSession, *, person_ref: str) -> list[Project]:
    """Projects over the estates where the resident's household is registered: the works they can follow."""
    estates = select(HouseholdMember.estate_id).where(HouseholdMember.person_ref == person_ref)
    return list((await session.scalars(
        select(Project).where(Project.id.in_(select(ProjectEstate.project_id).where(
            ProjectEstate.estate_id.in_(estates)))).order_by(Project.planned_start, Project.name))).all())
