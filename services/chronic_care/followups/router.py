from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from services.chronic_care.deps import Caller, Now, Session
from services.chronic_care.followups import service
from services.chronic_care.followups.schemas import (
    CallRecord,
    FollowUpComplete,
    FollowUpPage,
    FollowUpRead,
    OverduePage,
)
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/follow-ups", tags=["follow-ups"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.get("/overdue", response_model=OverduePage, summary="Overdue call list, riskiest first")
async def overdue(session: Session, principal: Caller, now: Now, station_id: uuid.UUID | None = None,
                  limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.overdue(session, principal=principal, station_id=station_id, now=now,
                                               limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.get("", response_model=FollowUpPage)
async def list_follow_ups(session: Session, principal: Caller, patient_id: uuid.UUID | None = None,
                          status: Literal["scheduled", "done", "removed"] | None = None,
                          limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_follow_ups(session, principal=principal, patient_id=patient_id,
                                                       status=status, limit=limit, cursor=cursor)
    return FollowUpPage(items=items, next_cursor=next_cursor)


@router.post("/{follow_up_id}/complete", response_model=FollowUpRead)
async def complete(follow_up_id: uuid.UUID, body: FollowUpComplete, session: Session, principal: Caller, now: Now):
    return await service.complete(session, principal=principal, follow_up_id=follow_up_id, data=body, now=now)


@router.post("/{follow_up_id}/calls", response_model=FollowUpRead, summary="Record the outcome of a call")
async def record_call(follow_up_id: uuid.UUID, body: CallRecord, session: Session, principal: Caller, now: Now):
    return await service.record_call(session, principal=principal, follow_up_id=follow_up_id, data=body, now=now)
