from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.chronic_care.deps import Caller, Now, Session
from services.chronic_care.rehab import service
from services.chronic_care.rehab.rules import Action, PlanStatus
from services.chronic_care.rehab.schemas import PlanCreate, PlanPage, PlanRead, VisitCreate
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/nursing-plans", tags=["rehabilitation nursing"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PlanRead)
async def create_plan(body: PlanCreate, session: Session, principal: Caller, now: Now):
    return await service.create_plan(session, principal=principal, data=body, now=now)


@router.get("", response_model=PlanPage)
async def list_plans(session: Session, principal: Caller, patient_id: uuid.UUID | None = None,
                     status_: Annotated[PlanStatus | None, Query(alias="status")] = None,
                     limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
                     cursor: Annotated[str | None, Query(max_length=500)] = None):
    items, next_cursor = await service.list_plans(session, principal=principal, patient_id=patient_id,
                                                  status=status_, limit=limit, cursor=cursor)
    return PlanPage(items=items, next_cursor=next_cursor)


@router.get("/{plan_id}", response_model=PlanRead)
async def get_plan(plan_id: uuid.UUID, session: Session, principal: Caller):
    return await service.get_plan(session, principal=principal, plan_id=plan_id)


@router.post("/{plan_id}/visits", status_code=status.HTTP_201_CREATED, response_model=PlanRead)
async def add_visit(plan_id: uuid.UUID, body: VisitCreate, session: Session, principal: Caller, now: Now):
    return await service.add_visit(session, principal=principal, plan_id=plan_id, data=body, now=now)


@router.post("/{plan_id}/{action}", response_model=PlanRead)
async def plan_action(plan_id: uuid.UUID, action: Action, session: Session, principal: Caller, now: Now):
    return await service.transition(session, principal=principal, plan_id=plan_id, action=action, now=now)
