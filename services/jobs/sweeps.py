"""Background work: expire job recommendations nobody acted on (the endpoint does the same on demand)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from services.jobs.assistance.service import expire_recommendations
from shared.database import utcnow

log = logging.getLogger("minsheng.jobs.sweeps")


async def start_expiry_sweep(app: FastAPI) -> Callable[[], Awaitable[None]]:
    interval = app.state.settings.expiry_sweep_seconds

    async def loop() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                async with app.state.session_factory() as session:
                    expired = await expire_recommendations(session, now=utcnow())
                if expired:
                    log.info("recommendations expired", extra={"count": expired})
            except Exception:  # the next round retries; a sweep never takes the service down
                log.exception("recommendation expiry sweep failed")

    task = asyncio.create_task(loop()) if interval > 0 else None

    async def stop() -> None:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return stop
