from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.jobs.access import Config, Session
from services.jobs.routes_common import StreetCode
from services.jobs.stats import service
from services.jobs.stats.schemas import Overview
from shared.auth import Principal, require_roles
from shared.clock import Now
from shared.locations import check_street

router = APIRouter(prefix="/stats", tags=["statistics"])
StatsReader = Annotated[Principal, Depends(require_roles("auditor", "jobs", "jobs-approver"))]


@router.get("/overview", response_model=Overview, summary="Figures for the district's one-screen overview")
async def overview(session: Session, _: StatsReader, now: Now, config: Config,
                   year: Annotated[int | None, Query(ge=2000, le=2100)] = None, street_code: StreetCode = None):
    if street_code:
        check_street(street_code)
    return await service.overview(session, year=year, street_code=street_code, now=now,
                                  no_contact_days=config.no_contact_days)
