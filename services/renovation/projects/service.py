"""Use cases of renovation projects: one transaction each; the session is passed in."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.db import outbox
from services.renovation.projects.models import Project, ProjectTransition
from services.renovation.projects.rules import next_status
from services.renovation.projects.schemas import ProjectCreate
from shared.areas import xiaoshan
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events.contracts.renovation import ProjectAcceptedV1, ProjectStatusChangedV1
from shared.pagination import paginate


async def create_project(session: AsyncSession, *, data: ProjectCreate) -> Project:
    problem = xiaoshan().check(data.street_code, level="street")
    if problem:
        raise InvalidInput("street_code", problem)
    async with unit_of_work(session):
        project = Project(**data.model_dump(), status="planned", transitions=[])
        session.add(project)
    return project


async def get_project(session: AsyncSession, *, project_id: uuid.UUID) -> Project:
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound(f"project {project_id} not found")
    return project


async def list_projects(
    session: AsyncSession, *, status: str | None, street_code: str | None, limit: int, cursor: str | None
) -> tuple[list[Project], str | None]:
    stmt = select(Project)
    if status:
        stmt = stmt.where(Project.status == status)
    if street_code:
        stmt = stmt.where(Project.street_code == street_code)
    return await paginate(session, stmt, sort_column=Project.created_at, id_column=Project.id, limit=limit,
                          cursor=cursor)


async def transition_project(session: AsyncSession, *, project_id: uuid.UUID, action: str, actor: str) -> Project:
    async with unit_of_work(session):
        project = await session.get(Project, project_id, with_for_update=True)
        if project is None:
            raise NotFound(f"project {project_id} not found")
        target = next_status(project.status, action)
        if target is None:
            raise Conflict(f"cannot {action} a project that is {project.status}")
        now = utcnow()
        session.add(ProjectTransition(project_id=project.id, from_status=project.status, to_status=target,
                                      by=actor, at=now))
        previous, project.status = project.status, target
        await outbox.add(session, ProjectStatusChangedV1(
            project_id=project.id, from_status=previous, to_status=target, street_code=project.street_code,
            area_m2=project.area_m2, changed_at=now,
        ))
        if target == "accepted":
            await outbox.add(session, ProjectAcceptedV1(
                project_id=project.id, street_code=project.street_code, area_m2=project.area_m2, estate_ids=[],
                accepted_at=now,
            ))
    await session.refresh(project, ["transitions"])
    return project
