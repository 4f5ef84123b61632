"""The outbox relay: publishes committed events, right after commit and on a periodic sweep.

Rows are claimed with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several replicas share the work without
publishing a row twice at the same time (SQLite has a single writer anyway). A row is marked published only
after the broker confirmed it; if the process dies between the confirm and the mark, the row is published
again and the consumers' inbox absorbs the duplicate: at-least-once delivery, exactly-once effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.events.bus import EventBus, WireEvent
from shared.events.metrics import EventMetrics
from shared.events.outbox import Outbox

log = logging.getLogger("minsheng.events.relay")


class OutboxRelay:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], outbox: Outbox, bus: EventBus, *,
        sweep_interval: float = 1.0, batch_size: int = 200, metrics: EventMetrics | None = None,
    ):
        self.session_factory = session_factory
        self.model = outbox.model
        self.bus = bus
        self.sweep_interval = sweep_interval
        self.batch_size = batch_size
        self.metrics = metrics
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        outbox.on_commit(self._wake.set)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Finish the batch in hand, then stop (nothing is marked published that was not confirmed)."""
        self._stopping = True
        self._wake.set()
        if self._task:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=15)

    async def _run(self) -> None:
        backoff = 0.0
        while not self._stopping:
            try:
                while not self._stopping and await self.publish_pending() == self.batch_size:
                    pass  # a full batch: more may be waiting
                backoff = 0.0
            except Exception:
                backoff = min(max(backoff * 2, 0.2), 5.0)
                log.warning("relay could not publish; retrying", exc_info=True, extra={"backoff_s": backoff})
            if self._stopping:
                break
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=backoff or self.sweep_interval)
            except TimeoutError:
                await self._measure_backlog()
            self._wake.clear()

    async def publish_pending(self) -> int:
        """Publish one batch of unpublished rows, oldest first; returns how many were published."""
        m = self.model
        async with self.session_factory() as session, session.begin():
            rows = (await session.execute(
                select(m.id, m.event_type, m.routing_key, m.payload).where(m.published_at.is_(None))
                .order_by(m.created_at, m.id).limit(self.batch_size).with_for_update(skip_locked=True)
            )).all()
            if not rows:
                return 0
            events = [WireEvent(r.id, r.event_type, r.routing_key, r.payload.encode()) for r in rows]
            ids = [r.id for r in rows]
            try:
                await self.bus.publish(events)
            except Exception as exc:
                failure = exc
            else:
                failure = None
                # One statement for the batch: per-row ORM updates cost a round trip each.
                await session.execute(
                    update(m).where(m.id.in_(ids)).values(published_at=utcnow(), attempts=m.attempts + 1)
                    .execution_options(synchronize_session=False)
                )
        if failure is not None:
            await self._record_failure(ids, failure)
            raise failure
        if self.metrics:
            for ev in events:
                self.metrics.published.labels(ev.type).inc()
        return len(rows)

    async def _record_failure(self, ids, exc: Exception) -> None:
        if self.metrics:
            self.metrics.publish_failures.inc()
        m = self.model
        with contextlib.suppress(Exception):  # the database may be what failed; the rows stay pending anyway
            async with self.session_factory() as session, session.begin():
                await session.execute(
                    update(m).where(m.id.in_(ids)).values(attempts=m.attempts + 1, last_error=repr(exc)[:500])
                    .execution_options(synchronize_session=False)
                )

    async def _measure_backlog(self) -> None:
        if not self.metrics:
            return
        m = self.model
        try:
            async with self.session_factory() as session:
                count, oldest = (await session.execute(
                    select(func.count(), func.min(m.created_at)).where(m.published_at.is_(None))
                )).one()
        except Exception:
            log.debug("backlog query failed", exc_info=True)
            return
        self.metrics.outbox_backlog.set(count)
        self.metrics.outbox_oldest_seconds.set((utcnow() - oldest).total_seconds() if oldest else 0)
