from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.renovation.access import Reader, Session, Staff
from services.renovation.programmes import service
from services.renovation.programmes.schemas import ProgrammeCreate, ProgrammeDetail, ProgrammePage, ProgrammeRead
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/programmes", tags=["programmes"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProgrammeRead)
async def create_programme(body: ProgrammeCreate, session: Session, principal: Staff):
    return await service.create_programme(session, data=body, actor=principal)


@router.get("", response_model=ProgrammePage)
async def list_programmes(
    session: Session, _: Reader, year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_programmes(session, year=year, limit=limit, cursor=cursor)
    return ProgrammePage(items=items, next_cursor=next_cursor)


@router.get("/{programme_id}", response_model=ProgrammeDetail, summary="A programme with its projects' progress")
async def get_programme(programme_id: uuid.UUID, session: Session, _: Reader):
    return await service.programme_detail(session, programme_id=programme_id)
