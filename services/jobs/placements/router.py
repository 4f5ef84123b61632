from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from services.jobs.access import Officer, ReaderOrSelf, Session
from services.jobs.placements import service
from services.jobs.placements.rules import PlacementType
from services.jobs.placements.schemas import FollowUpRecord, PlacementCreate, PlacementPage, PlacementRead
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit, StreetCode
from shared.clock import Now

router = APIRouter(prefix="/placements", tags=["placements and follow-up"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PlacementRead,
             summary="Place a seeker: stops their benefit from the next month, may clear their household, "
                     "schedules follow-ups at 1, 3 and 6 months")
async def place(body: PlacementCreate, session: Session, principal: Officer, now: Now):
    return await service.place(session, data=body, actor=principal, now=now)


@router.get("", response_model=PlacementPage)
async def list_placements(
    session: Session, principal: ReaderOrSelf, seeker_id: uuid.UUID | None = None, street_code: StreetCode = None,
    placement_type: PlacementType | None = None, year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
):
    rows, next_cursor = await service.list_placements(
        session, principal=principal, seeker_id=seeker_id, street_code=street_code, placement_type=placement_type,
        year=year, limit=limit, cursor=cursor)
    return PlacementPage(items=rows, next_cursor=next_cursor)


@router.get("/{placement_id}", response_model=PlacementRead)
async def get_placement(placement_id: uuid.UUID, session: Session, principal: ReaderOrSelf):
    placement, _ = await service.get_placement(session, placement_id=placement_id, principal=principal)
    return placement


@router.post("/{placement_id}/follow-ups/{month}", response_model=PlacementRead,
             summary="Record the 1-, 3- or 6-month follow-up: still employed, or out of work again")
async def record_follow_up(placement_id: uuid.UUID, month: Annotated[int, Path(ge=1, le=12)], body: FollowUpRecord,
                           session: Session, principal: Officer, now: Now):
    return await service.record_follow_up(session, placement_id=placement_id, month=month, data=body,
                                          actor=principal, now=now)
