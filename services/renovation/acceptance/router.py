from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from services.renovation.acceptance import service
from services.renovation.acceptance.schemas import AcceptanceRead, InspectionCreate, RectificationCreate
from services.renovation.access import Reader, Session, Staff
from shared.clock import Now

router = APIRouter(prefix="/projects/{project_id}", tags=["acceptance"])


@router.post("/inspections", status_code=status.HTTP_201_CREATED, response_model=AcceptanceRead,
             summary="Record an acceptance inspection round; passing it accepts the project")
async def record_inspection(project_id: uuid.UUID, body: InspectionCreate, session: Session, principal: Staff,
                            now: Now):
    return await service.record_inspection(session, project_id=project_id, data=body, actor=principal, now=now)


@router.get("/inspections", response_model=AcceptanceRead, summary="The acceptance file: rounds and defects")
async def get_acceptance(project_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_acceptance(session, project_id=project_id)


@router.post("/defects/{defect_id}/rectify", response_model=AcceptanceRead)
async def rectify_defect(project_id: uuid.UUID, defect_id: uuid.UUID, body: RectificationCreate, session: Session,
                         principal: Staff, now: Now):
    return await service.rectify_defect(session, project_id=project_id, defect_id=defect_id, data=body,
                                        actor=principal, now=now)
