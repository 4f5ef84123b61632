"""The background sweep: escalates overdue work orders and prunes old feed rows.

Its state is the database (each raised order carries its next deadline), so a restart loses nothing: the
first sweep after start-up escalates whatever fell due while the service was down. Several replicas may
sweep at once (see ``escalate_overdue``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from fastapi import FastAPI

from services.community.escalation.policy import policy_of
from services.community.escalation.service import escalate_overdue
from services.community.feed import service as feed
from shared.clock import app_now

log = logging.getLogger("minsheng.community.escalation")
PRUNE_EVERY = timedelta(hours=1)


class EscalationSweep:
    def __init__(self, app: FastAPI):
        self.app = app
        self.settings = app.state.settings
        self._last_prune = None

    async def run_once(self) -> int:
        """One sweep at the app's clock; returns the escalations made."""
        now = app_now(self.app)
        async with self.app.state.session_factory() as session:
            made = await escalate_overdue(session, now=now, policy=policy_of(self.settings))
        if made:
            log.info("work orders escalated", extra={"escalations": made})
        if self._last_prune is None or now - self._last_prune >= PRUNE_EVERY:
            async with self.app.state.session_factory() as session:
                await feed.prune(session, before=now - timedelta(days=self.settings.feed_retention_days))
            self._last_prune = now
        return made

    async def run_forever(self, interval: float) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("escalation sweep failed; retrying", exc_info=True)
            await asyncio.sleep(interval)


async def start_sweep(app: FastAPI) -> Callable[[], Awaitable[None]]:
    sweep = EscalationSweep(app)
    app.state.escalation_sweep = sweep
    interval = app.state.settings.escalation_sweep_seconds
    if not interval:
        async def nothing() -> None:
            return None

        log.info("escalation sweep disabled (COMMUNITY_ESCALATION_SWEEP_SECONDS=0)")
        return nothing
    task = asyncio.create_task(sweep.run_forever(interval), name="community-escalation-sweep")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return stop
