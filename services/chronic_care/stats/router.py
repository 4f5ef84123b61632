from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from services.chronic_care.deps import Now, Session, StatsReader
from services.chronic_care.stats import service
from services.chronic_care.stats.schemas import Overview
from shared.query_types import IsoDate

router = APIRouter(prefix="/stats", tags=["statistics"])


@router.get("/overview", response_model=Overview, summary="Figures for the district overview (no personal data)")
async def overview(
    session: Session, _: StatsReader, now: Now,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    street_code: Annotated[str | None, Query(min_length=9, max_length=12)] = None,
    station_code: Annotated[str | None, Query(min_length=2, max_length=40)] = None,
    date_from: IsoDate | None = None,
    date_to: IsoDate | None = None,
):
    return await service.overview(session, year=year, street_code=street_code, station_code=station_code,
                                  date_from=date_from, date_to=date_to, now=now)
