from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, status

from services.renovation.access import Reader, Session, Staff
from services.renovation.communities import service
from services.renovation.communities.rules import Action, CommunityStatus, Level, Scenario
from services.renovation.communities.schemas import (
    FutureCommunityCreate,
    FutureCommunityPage,
    FutureCommunityRead,
    FutureCommunityUpdate,
    ScenarioInspectionCreate,
    TransitionBody,
)
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/future-communities", tags=["future communities"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=FutureCommunityRead)
async def apply(body: FutureCommunityCreate, session: Session, principal: Staff, now: Now):
    return await service.apply(session, data=body, actor=principal, now=now)


@router.get("", response_model=FutureCommunityPage)
async def list_applications(
    session: Session, _: Reader,
    level: Level | None = None,
    status_: Annotated[CommunityStatus | None, Query(alias="status")] = None,
    street_code: Annotated[str | None, Query(max_length=12)] = None,
    batch: Annotated[str | None, Query(max_length=60)] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Applied in this year")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_applications(
        session, level=level, status=status_, street_code=street_code, batch=batch, year=year, limit=limit,
        cursor=cursor)
    return FutureCommunityPage(items=items, next_cursor=next_cursor)


@router.get("/{application_id}", response_model=FutureCommunityRead)
async def get_application(application_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_application(session, application_id=application_id)


@router.patch("/{application_id}", response_model=FutureCommunityRead)
async def update_application(application_id: uuid.UUID, body: FutureCommunityUpdate, session: Session,
                             principal: Staff):
    return await service.update_application(session, application_id=application_id, data=body, actor=principal)


@router.post("/{application_id}/scenarios/{scenario}/inspections", response_model=FutureCommunityRead,
             summary="Record the inspection of one scenario (e.g. 一老一小)")
async def inspect_scenario(application_id: uuid.UUID, scenario: Scenario, body: ScenarioInspectionCreate,
                           session: Session, principal: Staff, now: Now):
    return await service.inspect_scenario(session, application_id=application_id, scenario=scenario, data=body,
                                          actor=principal, now=now)


@router.post("/{application_id}/{action}", response_model=FutureCommunityRead,
             summary="select, start, request-inspection, accept, reject (with a reason)")
async def transition(application_id: uuid.UUID, action: Action, session: Session, principal: Staff, now: Now,
                     body: Annotated[TransitionBody | None, Body()] = None):
    return await service.transition(session, application_id=application_id, action=action,
                                    reason=body.reason if body else None, actor=principal, now=now)
