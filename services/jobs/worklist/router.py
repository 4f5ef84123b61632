from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.jobs.access import Config, Reader, Session
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit, StreetCode
from services.jobs.worklist import service
from services.jobs.worklist.schemas import FollowUpWorklist, NoContactList, OverdueSummary
from shared.clock import Now

router = APIRouter(prefix="/worklist", tags=["worklist"])
Caseworker = Annotated[str | None, Query(max_length=120)]


@router.get("/follow-ups", response_model=FollowUpWorklist,
            summary="Follow-ups due (within days_ahead) and overdue, oldest first")
async def follow_ups(session: Session, principal: Reader, now: Now, caseworker: Caseworker = None,
                     street_code: StreetCode = None, overdue_only: bool = False,
                     days_ahead: Annotated[int, Query(ge=0, le=90)] = 7, limit: Limit = DEFAULT_LIMIT,
                     cursor: Cursor = None):
    return await service.follow_ups(session, principal=principal, today=now.date(), caseworker=caseworker,
                                    street_code=street_code, overdue_only=overdue_only, days_ahead=days_ahead,
                                    limit=limit, cursor=cursor)


@router.get("/no-contact", response_model=NoContactList,
            summary="Seekers looking for work whom nobody has reached for `days` days (default from settings)")
async def no_contact(session: Session, principal: Reader, now: Now, config: Config, caseworker: Caseworker = None,
                     street_code: StreetCode = None, days: Annotated[int | None, Query(ge=1, le=365)] = None,
                     limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    return await service.no_contact(session, principal=principal, now=now, days=days or config.no_contact_days,
                                    caseworker=caseworker, street_code=street_code, limit=limit, cursor=cursor)


@router.get("/summary", response_model=OverdueSummary,
            summary="Overdue follow-ups and uncontacted seekers per caseworker and per street")
async def summary(session: Session, principal: Reader, now: Now, config: Config, street_code: StreetCode = None):
    return await service.summary(session, principal=principal, now=now, days=config.no_contact_days,
                                 street_code=street_code)
