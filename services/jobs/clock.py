"""The service's notion of "now": the wall clock, unless a test (or a replay) sets ``app.state.clock``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from shared.database import utcnow


async def current_time(request: Request) -> datetime:
    source: Callable[[], datetime] | None = getattr(request.app.state, "clock", None)
    return source() if source is not None else utcnow()


Now = Annotated[datetime, Depends(current_time)]
