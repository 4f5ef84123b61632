from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.renovation.access import Reader, Session
from services.renovation.stats import service
from services.renovation.stats.schemas import ByStreet, FutureCommunityStats, Overview
from shared.clock import Now
from shared.locations import check_street

router = APIRouter(prefix="/stats", tags=["statistics"])
Year = Annotated[int | None, Query(ge=1990, le=2100)]
Street = Annotated[str | None, Query(min_length=9, max_length=9, description="Street (街道/镇) code")]


@router.get("/overview", response_model=Overview, summary="Figures for the district's one-screen overview")
async def overview(session: Session, _: Reader, now: Now, year: Year = None, street_code: Street = None):
    if street_code:
        check_street(street_code)
    return await service.overview(session, year=year, street_code=street_code, now=now)


@router.get("/by-street", response_model=ByStreet, summary="The main figures street by street")
async def by_street(session: Session, _: Reader, now: Now, year: Year = None):
    return await service.by_street(session, year=year, now=now)


@router.get("/future-communities", response_model=FutureCommunityStats,
            summary="Future communities by level and status; scenarios by result")
async def future_communities(session: Session, _: Reader, now: Now, year: Year = None, street_code: Street = None):
    if street_code:
        check_street(street_code)
    return await service.future_communities(session, year=year, street_code=street_code, now=now)
