"""Rate limits per IP, per user and per API key: ``limits`` items and its Redis storage when several
replicas must share the counts; in one replica, a counter in process memory.

Why not ``limits``' MemoryStorage for one replica: it starts a ``threading.Timer`` every 10 ms while traffic
flows, and the GIL hand-offs to those threads added ~2 ms to the gateway's p50 at one connection (measured
with wrk, bench/gateway). The local counter below does the same sliding-window-counter arithmetic with lazy
expiry and no threads.

``hit`` answers (allowed, seconds until a retry may pass) so that a refusal can carry ``Retry-After``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from limits import RateLimitItem, parse
from limits.aio import strategies as async_strategies
from limits.storage import storage_from_string

STRATEGIES = {
    "fixed-window": "FixedWindowRateLimiter",
    "sliding-window-counter": "SlidingWindowCounterRateLimiter",
    "moving-window": "MovingWindowRateLimiter",
}
LOCAL_STRATEGIES = ("fixed-window", "sliding-window-counter")
_PRUNE_EVERY = 10_000


def parse_limit(value: str | None) -> RateLimitItem | None:
    """``"600/minute"`` -> an item; empty -> None (that limit is off)."""
    if not value or not value.strip():
        return None
    return parse(value.strip())


class LocalCounter:
    """Window counters in this process: [window start, previous window's count, this window's count]."""

    def __init__(self, *, sliding: bool, clock: Callable[[], float] = time.time):
        self.sliding = sliding
        self.clock = clock
        self._windows: dict[tuple, list[float]] = {}
        self._hits = 0

    def hit(self, item: RateLimitItem, identifiers: tuple[str, ...]) -> tuple[bool, int]:
        period = item.get_expiry()
        limit = item.amount
        now = self.clock()
        start = now - now % period
        key = (item.amount, period, *identifiers)
        entry = self._windows.get(key)
        if entry is None or entry[0] < start - period:
            entry = [start, 0, 0]
            self._windows[key] = entry
        elif entry[0] < start:
            entry[0], entry[1], entry[2] = start, entry[2], 0
        previous = entry[1] * (1 - (now - start) / period) if self.sliding else 0.0
        if previous + entry[2] + 1 > limit:
            return False, self._retry_after(entry, limit, period, now)
        entry[2] += 1
        self._hits += 1
        if self._hits >= _PRUNE_EVERY:
            self._prune(now)
        return True, 0

    def _retry_after(self, entry: list[float], limit: int, period: float, now: float) -> int:
        start, previous, current = entry
        if current + 1 > limit or not self.sliding or previous == 0:
            wait = start + period - now  # the next window
        else:
            # The previous window's weight must decay until one more hit fits.
            wait = start + period * (1 - (limit - current - 1) / previous) - now
        return max(1, math.ceil(wait))

    def _prune(self, now: float) -> None:
        self._hits = 0
        stale = [k for k, e in self._windows.items() if e[0] < now - 2 * k[1]]
        for key in stale:
            del self._windows[key]


class RateLimiter:
    def __init__(self, *, strategy: str = "sliding-window-counter", redis_url: str = ""):
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown rate-limit strategy {strategy!r}; one of {', '.join(STRATEGIES)}")
        self.shared = bool(redis_url)
        if self.shared:
            url = redis_url if redis_url.startswith("async+") else f"async+{redis_url}"
            # redis-py (already a dependency) rather than limits' default coredis.
            storage = storage_from_string(url, implementation="redispy")
            self._async = getattr(async_strategies, STRATEGIES[strategy])(storage)
        else:
            if strategy not in LOCAL_STRATEGIES:
                raise ValueError(f"{strategy!r} needs MINSHENG_REDIS_URL; in memory: {', '.join(LOCAL_STRATEGIES)}")
            self._local = LocalCounter(sliding=strategy == "sliding-window-counter")

    async def hit(self, item: RateLimitItem, *identifiers: str) -> tuple[bool, int]:
        if not self.shared:
            return self._local.hit(item, identifiers)
        if await self._async.hit(item, *identifiers):
            return True, 0
        stats = await self._async.get_window_stats(item, *identifiers)
        return False, max(1, math.ceil(stats.reset_time - time.time()))

    async def check_storage(self) -> bool:
        if not self.shared:
            return True
        try:
            return bool(await self._async.storage.check())
        except Exception:
            return False
