"""Keeps the outbox and inbox tables small: published outbox rows and old inbox rows are deleted.

A published outbox row is only history once the broker confirmed it; an inbox row guards against a
redelivery, which the broker makes within minutes (unacked deliveries, replays from the dead-letter queue
within days). Keeping published rows a week and inbox rows a month leaves room for an operator's
investigation and for a late replay, and stops both tables from growing with every event ever sent.
Deletes go in bounded batches, so a large first cleanup never holds one long transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.events.outbox import InboxMixin, OutboxMixin

log = logging.getLogger("minsheng.events.housekeeping")


class EventTablesHousekeeping:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], outbox_model: type[OutboxMixin],
        inbox_model: type[InboxMixin] | None, *, keep_published: timedelta, keep_inbox: timedelta,
        interval_seconds: float = 3600.0, batch_size: int = 5000,
    ):
        self.session_factory = session_factory
        self.outbox_model = outbox_model
        self.inbox_model = inbox_model
        self.keep_published = keep_published
        self.keep_inbox = keep_inbox
        self.interval_seconds = interval_seconds
        self.batch_size = batch_size

    async def prune_once(self) -> dict[str, int]:
        """Delete what is past keeping; returns the rows deleted per table."""
        now = utcnow()
        o = self.outbox_model
        deleted = {"outbox": await self._delete_in_batches(
            o, o.id, o.published_at.is_not(None) & (o.published_at < now - self.keep_published))}
        if self.inbox_model is not None:
            i = self.inbox_model
            deleted["inbox"] = await self._delete_in_batches(
                i, i.event_id, i.handled_at < now - self.keep_inbox)
        if any(deleted.values()):
            log.info("event tables pruned", extra={"deleted": deleted})
        return deleted

    async def _delete_in_batches(self, model, key, condition) -> int:
        total = 0
        while True:
            async with self.session_factory() as session, session.begin():
                batch = select(key).where(condition).limit(self.batch_size).scalar_subquery()
                result = await session.execute(
                    delete(model).where(key.in_(batch), condition).execution_options(synchronize_session=False))
            total += result.rowcount
            if result.rowcount < self.batch_size:
                return total

    def start(self) -> Callable[[], Awaitable[None]]:
        """Run in the background every ``interval_seconds``; returns the stop function."""
        task = asyncio.create_task(self._run(), name="event-tables-housekeeping")

        async def stop() -> None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        return stop

    async def _run(self) -> None:
        while True:
            try:
                await self.prune_once()
            except Exception:  # the database may be down for a while: try again next round
                log.warning("event tables housekeeping failed; retrying later", exc_info=True)
            await asyncio.sleep(self.interval_seconds)
