"""The outbox relay: publishes committed events, right after commit and on a periodic sweep.

Fast path: a commit in this process hands its events to the relay, which publishes them from memory at once
and marks their rows published in batches (one statement per ``MARK_DELAY`` or per batch). The table is
read only by the sweep, which claims rows with ``FOR UPDATE SKIP LOCKED`` (replicas share it without
publishing a row twice at the same time; SQLite has a single writer anyway) and marks them in the same
transaction, committed after the broker's confirms. The periodic sweep leaves rows younger than
``sweep_grace`` to the fast path of whichever replica committed them; what it takes is what a crash, a
failed publish or an overflowing hand-over left behind.

A row is marked only after the broker confirmed its event; if the process dies in between, the row is
published again and the consumers' inbox absorbs the duplicate: at-least-once delivery, exactly-once effect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections import Counter, deque
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.types import Uuid

from shared.database import utcnow
from shared.events.bus import EventBus, WireEvent
from shared.events.metrics import EventMetrics
from shared.events.outbox import Outbox

log = logging.getLogger("minsheng.events.relay")

MARK_DELAY = 0.05  # published rows are marked together at most this long after their confirm


def _claim_statement(model, batch_size: int):
    """Claim and mark a batch in ONE statement (Core, cached): the rows are locked (``SKIP LOCKED``: other
    relays take other rows) and marked published in the same transaction, which commits only after the
    broker's confirms."""
    t = model.__table__
    pending = (
        select(t.c.id).where(t.c.published_at.is_(None), t.c.created_at <= bindparam("before"))
        .order_by(t.c.created_at, t.c.id).limit(batch_size).with_for_update(skip_locked=True)
    )
    return (
        update(t).where(t.c.id.in_(pending.scalar_subquery()))
        .values(published_at=bindparam("now"), attempts=t.c.attempts + 1)
        .returning(t.c.id, t.c.event_type, t.c.routing_key, t.c.payload, t.c.created_at)
    )


def _mark_statement(model, dialect: str):
    """Mark rows the fast path published (a row a sweep took meanwhile keeps its first mark)."""
    t = model.__table__
    ids = (t.c.id == func.any(bindparam("ids", type_=ARRAY(Uuid()))) if dialect == "postgresql"
           else t.c.id.in_(bindparam("ids", expanding=True)))
    return (update(t).where(ids, t.c.published_at.is_(None))
            .values(published_at=bindparam("now"), attempts=t.c.attempts + 1))


class OutboxRelay:
    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], outbox: Outbox, bus: EventBus, *,
        sweep_interval: float = 1.0, batch_size: int = 200, metrics: EventMetrics | None = None,
        sweep_grace: float | None = None,
    ):
        self.session_factory = session_factory
        self.model = outbox.model
        self.bus = bus
        self.sweep_interval = sweep_interval
        # Longer than the fast path takes from commit to mark, so a sweep rarely doubles another replica's.
        self.sweep_grace = max(2.0, 2 * sweep_interval) if sweep_grace is None else sweep_grace
        self.batch_size = batch_size
        self.max_ready = 5 * batch_size  # past this, commits leave their events to the sweep
        self.metrics = metrics
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._stopping = False
        self._ready: deque[WireEvent] = deque()
        self._unmarked: list[uuid.UUID] = []
        self._marked_at = time.monotonic()
        self._lock = asyncio.Lock()  # one batch at a time: a sweep never takes what the fast path has in hand
        outbox.on_commit(self._committed)
        self._engine = session_factory.kw["bind"]
        self._claim = _claim_statement(self.model, batch_size)
        self._mark = _mark_statement(self.model, self._engine.dialect.name)

    def _committed(self, events: Sequence[WireEvent]) -> None:
        if self._task is not None and not self._stopping and len(self._ready) < self.max_ready:
            self._ready.extend(events)
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        """Publish what was handed over and mark what was confirmed, then stop (what could not be published
        waits in the table for a sweep)."""
        self._stopping = True
        self._wake.set()
        if self._task:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=15)

    async def _run(self) -> None:
        backoff = 0.0
        last_sweep = 0.0  # a sweep at start: what a stopped or crashed process left
        while not self._stopping:
            try:
                await self._publish_ready()
                if time.monotonic() - self._marked_at >= MARK_DELAY or len(self._unmarked) >= self.batch_size:
                    await self._mark_published()
                if time.monotonic() - last_sweep >= self.sweep_interval:
                    last_sweep = time.monotonic()
                    while not self._stopping and await self.publish_pending(self.sweep_grace) == self.batch_size:
                        pass  # a full batch: more may be waiting
                backoff = 0.0
            except Exception:
                backoff = min(max(backoff * 2, 0.2), 5.0)
                log.warning("relay could not publish; retrying", exc_info=True, extra={"backoff_s": backoff})
            if self._stopping:
                break
            timeout = backoff or (MARK_DELAY if self._unmarked else self.sweep_interval)
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
            except TimeoutError:
                if not self._unmarked:
                    await self._measure_backlog()
            self._wake.clear()
        with contextlib.suppress(Exception):  # stopping: what fails here waits in the table
            await self._publish_ready()
            await self._mark_published()

    async def _publish_ready(self) -> None:
        """Publish what this process committed, from memory, in batches."""
        while self._ready:
            async with self._lock:
                batch = [self._ready.popleft() for _ in range(min(self.batch_size, len(self._ready)))]
                if not batch:  # a sweep took them meanwhile
                    return
                try:
                    await self.bus.publish(batch)
                except Exception as exc:
                    # Everything handed over is in the table: leave it to the sweep.
                    self._ready.clear()
                    await self._record_failure([ev.id for ev in batch], exc)
                    raise
                self._unmarked.extend(ev.id for ev in batch)
            self._count(batch)

    async def _mark_published(self) -> None:
        async with self._lock:
            await self._flush_marks()

    async def _flush_marks(self) -> None:
        ids, self._unmarked = self._unmarked, []
        self._marked_at = time.monotonic()
        if not ids:
            return
        try:
            async with self._engine.begin() as connection:
                await connection.execute(self._mark, {"ids": ids, "now": utcnow()})
        except Exception:
            self._unmarked[:0] = ids  # tried again; a crash before then republishes them (the inbox absorbs)
            raise

    async def publish_pending(self, grace: float = 0.0) -> int:
        """Sweep: publish one batch of unpublished rows committed at least ``grace`` seconds ago, oldest first;
        returns how many were published."""
        async with self._lock:
            return await self._sweep_once(grace)

    async def _sweep_once(self, grace: float) -> int:
        await self._flush_marks()  # first, or the sweep would take them again
        rows = []
        now = utcnow()
        try:
            async with self._engine.begin() as connection:
                rows = (await connection.execute(
                    self._claim, {"now": now, "before": now - timedelta(seconds=grace)})).all()
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
        if self._ready:  # taken by the sweep before the fast path came to them: not twice from here
            taken = {ev.id for ev in events}
            self._ready = deque(ev for ev in self._ready if ev.id not in taken)
        self._count(events)
        return len(rows)

    def _count(self, events: Sequence[WireEvent]) -> None:
        if self.metrics:
            for event_type, count in Counter(ev.type for ev in events).items():
                self.metrics.published.labels(event_type).inc(count)

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
