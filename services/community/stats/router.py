from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.community.access import Reader, Session
from services.community.stats import service
from services.community.stats.schemas import Overview
from shared.clock import Now
from shared.locations import check_street

router = APIRouter(prefix="/stats", tags=["statistics"])


@router.get("/overview", response_model=Overview, summary="Figures for the district's one-screen overview")
async def overview(session: Session, _: Reader, now: Now,
                   year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                   street_code: Annotated[str | None, Query(min_length=9, max_length=9,
                                                            description="Street (街道/镇) code")] = None):
    if street_code:
        check_street(street_code)
    return await service.overview(session, year=year, street_code=street_code, now=now)
