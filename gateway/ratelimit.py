"""Rate limits per IP, per user and per API key with ``limits``: in memory for one replica, Redis for several.

``hit`` answers (allowed, seconds until a retry may pass) so that a refusal can carry ``Retry-After``.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits import strategies as sync_strategies
from limits.aio import strategies as async_strategies
from limits.storage import MemoryStorage, storage_from_string

STRATEGIES = {
    "fixed-window": "FixedWindowRateLimiter",
    "sliding-window-counter": "SlidingWindowCounterRateLimiter",
    "moving-window": "MovingWindowRateLimiter",
}


def parse_limit(value: str | None) -> RateLimitItem | None:
    """``"600/minute"`` -> an item; empty -> None (that limit is off)."""
    if not value or not value.strip():
        return None
    return parse(value.strip())


class RateLimiter:
    def __init__(self, *, strategy: str = "sliding-window-counter", redis_url: str = ""):
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown rate-limit strategy {strategy!r}; one of {', '.join(STRATEGIES)}")
        self.shared = bool(redis_url)
        if self.shared:
            url = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
            # redis-py (already a dependency) rather than the default coredis.
            storage = storage_from_string(url, implementation="redispy")
            self._async = getattr(async_strategies, STRATEGIES[strategy])(storage)
        else:
            # The synchronous memory storage does no I/O: calling it directly saves a coroutine per check.
            self._sync = getattr(sync_strategies, STRATEGIES[strategy])(MemoryStorage())

    async def hit(self, item: RateLimitItem, *identifiers: str) -> tuple[bool, int]:
        if self.shared:
            if await self._async.hit(item, *identifiers):
                return True, 0
            stats = await self._async.get_window_stats(item, *identifiers)
        else:
            if self._sync.hit(item, *identifiers):
                return True, 0
            stats = self._sync.get_window_stats(item, *identifiers)
        return False, max(1, math.ceil(stats.reset_time - time.time()))

    async def check_storage(self) -> bool:
        if not self.shared:
            return True
        try:
            return bool(await self._async.storage.check())
        except Exception:
            return False
