from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.projects import service
from services.renovation.projects.rules import ProjectStatus
from services.renovation.projects.schemas import ProjectCreate, ProjectPage, ProjectRead
from shared.auth import Principal, require_roles
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from shared.service_app import get_session

router = APIRouter(prefix="/projects", tags=["projects"])
Session = Annotated[AsyncSession, Depends(get_session)]
Staff = Annotated[Principal, Depends(require_roles("renovation"))]
Reader = Annotated[Principal, Depends(require_roles("renovation", "auditor"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProjectRead)
async def create_project(body: ProjectCreate, session: Session, _: Staff):
    return await service.create_project(session, data=body)


@router.get("", response_model=ProjectPage)
async def list_projects(
    session: Session, _: Reader,
    status_: Annotated[ProjectStatus | None, Query(alias="status")] = None,
    street_code: Annotated[str | None, Query(max_length=12)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_projects(session, status=status_, street_code=street_code,
                                                     limit=limit, cursor=cursor)
    return ProjectPage(items=items, next_cursor=next_cursor)


@router.get("/{project_id}", response_model=ProjectRead)
async def get_project(project_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_project(session, project_id=project_id)


@router.post("/{project_id}/{action}", response_model=ProjectRead)
async def transition_project(
    project_id: uuid.UUID, action: Literal["approve", "start", "complete", "accept"], session: Session,
    principal: Staff,
):
    return await service.transition_project(session, project_id=project_id, action=action,
                                            actor=principal.subject)
