"""The route table at run time: each area's replicas (round robin), their breakers and the retry budget."""

from __future__ import annotations

import time
from collections.abc import Callable

from gateway.proxy.breaker import CLOSED, CircuitBreaker
from gateway.proxy.http1 import Http1Pool
from gateway.proxy.retry import RetryBudget
from gateway.settings import Settings


class Replica:
    __slots__ = ("base_url", "breaker", "pool")

    def __init__(self, base_url: str, breaker: CircuitBreaker, pool: Http1Pool | None = None):
        self.base_url = base_url
        self.breaker = breaker
        self.pool = pool  # plain-HTTP replicas use the lean client; HTTPS ones aiohttp


class Upstream:
    __slots__ = ("_next", "area", "budget", "replicas")

    def __init__(self, area: str, replicas: list[Replica], budget: RetryBudget):
        self.area = area
        self.replicas = replicas
        self.budget = budget
        self._next = 0

    def pick(self, avoid: Replica | None = None) -> Replica | None:
        """The next replica whose breaker lets a request through, preferring one other than ``avoid``."""
        count = len(self.replicas)
        fallback = None
        for step in range(count):
            replica = self.replicas[(self._next + step) % count]
            if replica is avoid and count > 1:
                fallback = replica
                continue
            if replica.breaker.allow():
                self._next = (self._next + step + 1) % count
                return replica
        if fallback is not None and fallback.breaker.allow():
            return fallback
        return None

    def retry_after(self) -> int:
        waits = [r.breaker.seconds_until_retry for r in self.replicas]
        return max(1, int(min(waits) + 0.999)) if waits else 1

    @property
    def healthy(self) -> bool:
        return any(r.breaker.state == CLOSED for r in self.replicas)


def build_upstreams(settings: Settings, clock: Callable[[], float] = time.monotonic) -> dict[str, Upstream]:
    def replica(url: str) -> Replica:
        breaker = CircuitBreaker(threshold=settings.breaker_failures, open_seconds=settings.breaker_open_seconds,
                                 clock=clock)
        pool = None
        if url.startswith("http://"):
            pool = Http1Pool(url, max_idle=settings.upstream_pool_size, idle_timeout=settings.upstream_idle_seconds)
        return Replica(url, breaker, pool)

    return {area: Upstream(area, [replica(u) for u in urls],
                           RetryBudget(ratio=settings.retry_budget_ratio, clock=clock))
            for area, urls in settings.route_table().items()}
