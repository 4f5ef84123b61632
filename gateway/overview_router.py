from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from gateway import overview
from gateway.auth.deps import OverviewReader
from shared.areas import xiaoshan
from shared.errors import InvalidInput
from shared.observability import current_request_id

router = APIRouter(prefix="/api/v1/dashboard", tags=["dashboard"])


@router.get("/overview", summary="The district's one-screen overview (一屏统览), every area at once",
            description="Each area's figures from its service, fetched concurrently within a deadline; an area "
                        "that cannot answer is listed in `unavailable` with its reason while the others come back.")
async def dashboard_overview(request: Request, caller: OverviewReader,
                             year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                             street_code: Annotated[str | None, Query(min_length=9, max_length=9)] = None) -> dict:
    if street_code is not None:
        why = xiaoshan().check(street_code, level="street")
        if why:
            raise InvalidInput("street_code", why)
    gateway = request.app.state.gateway
    return await overview.compose(client=gateway.client, upstreams=gateway.upstreams, caller=caller, year=year,
                                  street_code=street_code, request_id=current_request_id() or "",
                                  deadline=gateway.settings.overview_deadline)
