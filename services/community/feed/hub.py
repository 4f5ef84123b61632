"""Wakes this process's open streams right after a commit that added feed rows (streams of other replicas
find the rows on their next poll). One waiter per stream, each an Event of the stream's own loop."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy import event
from sqlalchemy.orm import Session

_FLAG = "community_feed_rows"


class FeedHub:
    def __init__(self) -> None:
        self._waiters: set[asyncio.Event] = set()

    def notify(self) -> None:
        for waiter in list(self._waiters):
            waiter.set()

    async def wait(self, timeout: float) -> None:
        """Until the next notification, or ``timeout`` seconds."""
        waiter = asyncio.Event()
        self._waiters.add(waiter)
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.wait(), timeout)
        finally:
            self._waiters.discard(waiter)


hub = FeedHub()


def mark(session) -> None:
    """Called when feed rows are added: wake the streams once this transaction commits."""
    session.info[_FLAG] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_FLAG, False):
        hub.notify()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous) -> None:
    session.info.pop(_FLAG, None)
