"""Request dependencies every router of the service shares: the session, the clock (shared/clock.py) and the
caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal, authenticated, require_roles
from shared.clock import Now  # noqa: F401 (the routers import it from here with the rest)
from shared.service_app import get_session

Session = Annotated[AsyncSession, Depends(get_session)]
Caller = Annotated[Principal, Depends(authenticated)]
# Statistics and reference data carry no personal data: district officers and auditors read them too.
StatsReader = Annotated[Principal, Depends(require_roles("doctor", "auditor"))]
Admin = Annotated[Principal, Depends(require_roles())]

# Scopes an integration (API key) needs: posting device readings, running the district drug platform.
READINGS_SCOPE = "chronic_care:readings"
ORDERS_SCOPE = "chronic_care:orders"
REFERRALS_SCOPE = "chronic_care:referrals"
