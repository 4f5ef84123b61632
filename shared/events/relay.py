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
from collections import Counter

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.database import utcnow
from shared.events.bus import EventBus, WireEvent
from shared.events.metrics import EventMetrics
from shared.events.outbox import Outbox

log = logging.getLogger("minsheng.events.relay")


def _claim_statement(model, batch_size: int):
    """Claim and mark a batch in ONE statement (Core, cached): the rows are locked (``SKIP LOCKED``: other
    relays take other rows) and marked published in the same transaction, which commits only after the
    broker's confirms. Two ORM statements here (select, then update of an IN list compiled per batch size)
    cost a relay wake about twice as much CPU, which is what a relay spends per event at moderate rates."""
    t = model.__table__
    pending = (
        select(t.c.id).where(t.c.published_at.is_(None)).order_by(t.c.created_at, t.c.id)
        .limit(batch_size).with_for_update(skip_locked=True)
    )
    return (
        update(t).where(t.c.id.in_(pending.scalar_subquery()))
        .values(published_at=bindparam("now"), attempts=t.c.attempts + 1)
        .returning(t.c.id, t.c.event_type, t.c.routing_key, t.c.payload, t.c.created_at)
    )


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
        self._engine = session_factory.kw["bind"]
        self._claim = _claim_statement(self.model, batch_size)

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
        rows = []
        try:
            async with self._engine.begin() as connection:
                rows = (await connection.execute(self._claim, {"now": utcnow()})).all()
                if not rows:
                    return 0
                rows.sort(key=lambda r: (r.created_at, r.id))  # RETURNING does not keep the subquery's order
                events = [WireEvent(r.id, r.event_type, r.routing_key, r.payload.encode()) for r in rows]
                # The rows stay locked, and their mark uncommitted, until the broker confirmed every event;
                # if it did not, the rollback leaves them pending.
                await self.bus.publish(events)
        except Exception as exc:
            if rows:
                await self._record_failure([r.id for r in rows], exc)
            raise
        if self.metrics:
            for event_type, count in Counter(ev.type for ev in events).items():
                self.metrics.published.labels(event_type).inc(count)
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
