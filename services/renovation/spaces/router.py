from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.renovation.access import Reader, Session, Staff
from services.renovation.spaces import service
from services.renovation.spaces.rules import ServiceType, SpaceKind, SpaceStatus
from services.renovation.spaces.schemas import Allocation, SpaceCreate, SpacePage, SpaceRead
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/spaces", tags=["idle spaces"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SpaceRead)
async def register_space(body: SpaceCreate, session: Session, principal: Staff, now: Now):
    return await service.register_space(session, data=body, actor=principal, now=now)


@router.get("", response_model=SpacePage)
async def list_spaces(
    session: Session, _: Reader,
    status_: Annotated[SpaceStatus | None, Query(alias="status")] = None,
    service_type: ServiceType | None = None,
    kind: SpaceKind | None = None,
    street_code: Annotated[str | None, Query(max_length=12)] = None,
    community_code: Annotated[str | None, Query(max_length=12)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_spaces(
        session, status=status_, service_type=service_type, kind=kind, street_code=street_code,
        community_code=community_code, limit=limit, cursor=cursor)
    return SpacePage(items=items, next_cursor=next_cursor)


@router.get("/{space_id}", response_model=SpaceRead)
async def get_space(space_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_space(session, space_id=space_id)


@router.post("/{space_id}/allocate", response_model=SpaceRead)
async def allocate(space_id: uuid.UUID, body: Allocation, session: Session, principal: Staff, now: Now):
    return await service.allocate(session, space_id=space_id, service_type=body.service_type, actor=principal,
                                  now=now)


@router.post("/{space_id}/commission", response_model=SpaceRead,
             summary="Put the space into service: the community service opens a station there")
async def commission(space_id: uuid.UUID, session: Session, principal: Staff, now: Now):
    return await service.commission(session, space_id=space_id, actor=principal, now=now)
