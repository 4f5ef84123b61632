from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from services.renovation.access import AnyUser, Reader, Resident, Session, Staff, resident_ref
from services.renovation.milestones import service
from services.renovation.milestones.schemas import (
    MilestoneCreate,
    MilestoneRead,
    ProgressReport,
    PublicProject,
    Timeline,
)
from shared.clock import Now

router = APIRouter(prefix="/projects/{project_id}", tags=["milestones"])
residents_router = APIRouter(tags=["milestones"])


@router.post("/milestones", status_code=status.HTTP_201_CREATED, response_model=MilestoneRead)
async def add_milestone(project_id: uuid.UUID, body: MilestoneCreate, session: Session, principal: Staff):
    return await service.add_milestone(session, project_id=project_id, data=body, actor=principal)


@router.get("/milestones", response_model=list[MilestoneRead])
async def list_milestones(project_id: uuid.UUID, session: Session, _: Reader):
    return await service.list_milestones(session, project_id=project_id)


@router.post("/milestones/{milestone_id}/progress", response_model=MilestoneRead)
async def report_progress(project_id: uuid.UUID, milestone_id: uuid.UUID, body: ProgressReport, session: Session,
                          principal: Staff, now: Now):
    return await service.report_progress(session, project_id=project_id, milestone_id=milestone_id, data=body,
                                         actor=principal, now=now)


@router.get("/timeline", response_model=Timeline, summary="The public milestone timeline residents follow")
async def timeline(project_id: uuid.UUID, session: Session, _: AnyUser):
    return await service.timeline(session, project_id=project_id)


@residents_router.get("/me/projects", response_model=list[PublicProject],
                      summary="The works on the estates where the caller's household is registered")
async def my_projects(session: Session, principal: Resident):
    return await service.projects_of_resident(session, person_ref=resident_ref(principal))
