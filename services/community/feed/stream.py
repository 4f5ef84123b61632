"""One client's live stream: feed rows after a position, as they commit, for a bounded time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.community.feed import service
from services.community.feed.cursor import FeedCursor
from services.community.feed.hub import hub

BATCH = 500


async def live(session_factory: async_sessionmaker[AsyncSession], *, after: int, community_code: str | None,
               street_code: str | None, poll_seconds: float, duration_seconds: float) -> AsyncIterator[dict]:
    """Yields feed messages after ``after`` until ``duration_seconds`` have passed; the client then reconnects
    from the last id it saw. Reads every row (the cursor must see every number to tell a gap from a filtered
    row) and filters here. (A late arrival may come after a higher id; a client resuming from Last-Event-ID
    could miss it only if it committed more than the grace period late.)"""
    loop = asyncio.get_running_loop()
    cursor = FeedCursor(after)
    deadline = loop.time() + duration_seconds
    while loop.time() < deadline:
        async with session_factory() as session:
            rows = await service.read_new(session, after=cursor.top, missing=cursor.missing, limit=BATCH)
        fresh = set(cursor.accept([r.seq for r in rows], loop.time()))
        for row in rows:
            if row.seq in fresh and (community_code in (None, row.community_code)) and (
                    street_code in (None, row.street_code)):
                yield service.as_message(row)
        if fresh and len(rows) == BATCH:
            continue  # a backlog: read on at once
        await hub.wait(max(0.0, min(poll_seconds, deadline - loop.time())))
