"""Event tables stay small: published outbox rows and old inbox rows go, pending rows never do; and a pooled
PostgreSQL connection that died while idle is replaced before a use case gets it."""

import asyncio
import uuid
from datetime import timedelta

from sqlalchemy import func, select, text

import shared.database
from shared.database import create_engine, utcnow
from shared.events.housekeeping import EventTablesHousekeeping
from shared.testing import pg_admin, pg_url
from shared.tests.conftest import InboxMessage, OutboxMessage


def outbox_row(age: timedelta, published: bool) -> OutboxMessage:
    created = utcnow() - age
    return OutboxMessage(id=uuid.uuid4(), event_type="t", routing_key="t.v1", payload="{}", created_at=created,
                         published_at=created if published else None, attempts=1 if published else 0)


async def count(session_factory, model, *where) -> int:
    async with session_factory() as s:
        return await s.scalar(select(func.count()).select_from(model).where(*where))


async def test_old_published_rows_and_old_inbox_rows_are_deleted_pending_rows_are_kept(session_factory):
    async with session_factory() as s, s.begin():
        s.add_all([outbox_row(timedelta(days=8), published=True) for _ in range(7)])
        s.add_all([outbox_row(timedelta(days=1), published=True) for _ in range(2)])
        s.add_all([outbox_row(timedelta(days=30), published=False) for _ in range(3)])  # never published
        s.add_all([InboxMessage(consumer="c", event_id=uuid.uuid4(), event_type="t",
                                handled_at=utcnow() - timedelta(days=days)) for days in (40, 40, 31, 2)])
    housekeeping = EventTablesHousekeeping(session_factory, OutboxMessage, InboxMessage,
                                           keep_published=timedelta(days=7), keep_inbox=timedelta(days=30),
                                           batch_size=3)  # several batches
    assert await housekeeping.prune_once() == {"outbox": 7, "inbox": 3}
    assert await count(session_factory, OutboxMessage, OutboxMessage.published_at.is_(None)) == 3
    assert await count(session_factory, OutboxMessage) == 5
    assert await count(session_factory, InboxMessage) == 1
    assert await housekeeping.prune_once() == {"outbox": 0, "inbox": 0}


async def test_a_pooled_connection_killed_while_idle_is_replaced_before_use(monkeypatch):
    monkeypatch.setattr(shared.database, "PING_AFTER_IDLE_SECONDS", 0.05)
    engine = create_engine(pg_url("test"), pool_size=1)
    try:
        async with engine.connect() as conn:
            pid = await conn.scalar(text("select pg_backend_pid()"))
        admin = await pg_admin()
        try:
            assert await admin.fetchval("select pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await asyncio.sleep(0.2)
        async with engine.connect() as conn:  # would raise "connection is closed" without the idle ping
            assert await conn.scalar(text("select pg_backend_pid()")) != pid
    finally:
        await engine.dispose()

