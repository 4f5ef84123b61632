"""Request dependencies every router of the service shares: the session, the clock and the caller."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal, authenticated, require_roles
from shared.database import utcnow
from shared.service_app import get_session


async def now(request: Request) -> datetime:
    """The service's clock: ``app.state.clock`` when set (tests fix time with it), else the UTC wall clock."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock else utcnow()


Session = Annotated[AsyncSession, Depends(get_session)]
Now = Annotated[datetime, Depends(now)]
Caller = Annotated[Principal, Depends(authenticated)]
# Statistics and reference data carry no personal data: district officers and auditors read them too.
StatsReader = Annotated[Principal, Depends(require_roles("doctor", "auditor"))]
Admin = Annotated[Principal, Depends(require_roles())]

# Scopes an integration (API key) needs: posting device readings, running the district drug platform.
READINGS_SCOPE = "chronic_care:readings"
ORDERS_SCOPE = "chronic_care:orders"
REFERRALS_SCOPE = "chronic_care:referrals"
