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
from datetime import datetime, timedelta

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
        deleted = {"outbox": await delete_published_before(
            self.session_factory, self.outbox_model, now - self.keep_published, self.batch_size)}
        if self.inbox_model is not None:
            i = self.inbox_model
            deleted["inbox"] = await _delete_in_batches(
                self.session_factory, i, i.event_id, i.handled_at < now - self.keep_inbox, self.batch_size)
        if any(deleted.values()):
            log.info("event tables pruned", extra={"deleted": deleted})
        return deleted

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
            # Sleep first: nothing to prune is urgent, and a starting replica has better things to do.
            await asyncio.sleep(self.interval_seconds)
            try:
                await self.prune_once()
            except Exception:  # the database may be down for a while: try again next round
                log.warning("event tables housekeeping failed; retrying later", exc_info=True)


async def delete_published_before(session_factory: async_sessionmaker[AsyncSession], model: type[OutboxMixin],
                                  before: datetime, batch_size: int = 5000) -> int:
    """Delete outbox rows the broker confirmed before ``before``; unpublished rows are never touched."""
    return await _delete_in_batches(session_factory, model, model.id,
                                    model.published_at.is_not(None) & (model.published_at < before), batch_size)


async def _delete_in_batches(session_factory, model, key, condition, batch_size: int) -> int:
    total = 0
    while True:
        async with session_factory() as session, session.begin():
            batch = select(key).where(condition).limit(batch_size).scalar_subquery()
            result = await session.execute(
                delete(model).where(key.in_(batch), condition).execution_options(synchronize_session=False))
        total += result.rowcount
        if result.rowcount < batch_size:
            return total
