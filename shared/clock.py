"""A service's notion of "now": the wall clock, unless a test (or a replay) sets ``app.state.clock``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from shared.database import utcnow


def app_now(app: FastAPI) -> datetime:
    """Background work (e.g. the escalation sweep) reads the same clock as requests do."""
    source: Callable[[], datetime] | None = getattr(app.state, "clock", None)
    return source() if source is not None else utcnow()


async def current_time(request: Request) -> datetime:
    return app_now(request.app)


Now = Annotated[datetime, Depends(current_time)]
