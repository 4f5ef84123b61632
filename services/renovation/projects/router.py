from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from services.renovation.access import Reader, Session, Staff
from services.renovation.projects import service
from services.renovation.projects.rules import ProjectStatus
from services.renovation.projects.schemas import (
    ProjectCreate,
    ProjectPage,
    ProjectRead,
    ProjectUpdate,
    ScopeItemCreate,
)
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/projects", tags=["projects"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProjectRead)
async def create_project(body: ProjectCreate, session: Session, principal: Staff):
    return await service.create_project(session, data=body, actor=principal)


@router.get("", response_model=ProjectPage)
async def list_projects(
    session: Session, _: Reader,
    status_: Annotated[ProjectStatus | None, Query(alias="status")] = None,
    street_code: Annotated[str | None, Query(max_length=12)] = None,
    estate_id: uuid.UUID | None = None,
    programme_id: uuid.UUID | None = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="Finishing (or finished) in this year")] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_projects(
        session, status=status_, street_code=street_code, estate_id=estate_id, programme_id=programme_id,
        year=year, q=q, limit=limit, cursor=cursor)
    return ProjectPage(items=items, next_cursor=next_cursor)


@router.get("/{project_id}", response_model=ProjectRead)
async def get_project(project_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_project(session, project_id=project_id)


@router.patch("/{project_id}", response_model=ProjectRead)
async def update_project(project_id: uuid.UUID, body: ProjectUpdate, session: Session, principal: Staff):
    return await service.update_project(session, project_id=project_id, data=body, actor=principal)


@router.post("/{project_id}/scope-items", status_code=status.HTTP_201_CREATED, response_model=ProjectRead)
async def add_scope_item(project_id: uuid.UUID, body: ScopeItemCreate, session: Session, principal: Staff):
    return await service.add_scope_item(session, project_id=project_id, data=body, actor=principal)


@router.delete("/{project_id}/scope-items/{item_id}", response_model=ProjectRead)
async def remove_scope_item(project_id: uuid.UUID, item_id: uuid.UUID, session: Session, principal: Staff):
    return await service.remove_scope_item(session, project_id=project_id, item_id=item_id, actor=principal)


@router.post("/{project_id}/{action}", response_model=ProjectRead,
             summary="Move the project on: approve, start, complete (accept happens by a passed inspection)")
async def transition_project(
    project_id: uuid.UUID, action: Literal["approve", "start", "complete", "accept"], session: Session,
    principal: Staff, now: Now,
):
    return await service.transition_project(session, project_id=project_id, action=action, actor=principal,
                                            now=now)
