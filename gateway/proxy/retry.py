"""When a failed attempt may be tried again, and how many retries an upstream can afford.

Retrying is safe when the request cannot have had an effect (the connection was never made), or when the
method is idempotent, or when a POST carries an Idempotency-Key (the gateway then guarantees one effect).
A budget keeps retries to a fraction of traffic, so that a struggling service is not hit twice as hard.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})


def may_repeat(method: str, *, has_idempotency_key: bool) -> bool:
    """May a request that may have reached the service be sent again?"""
    return method in IDEMPOTENT_METHODS or (method == "POST" and has_idempotency_key)


def backoff_seconds(attempt: int, base_ms: float) -> float:
    """Full jitter: uniform in [0, base * 2^attempt), so that retrying clients do not march in step."""
    return random.uniform(0, base_ms * (2 ** attempt)) / 1000.0


class RetryBudget:
    """Each request deposits ``ratio`` of a retry; each retry withdraws one; a floor refills over time."""

    __slots__ = ("balance", "cap", "clock", "floor_per_second", "ratio", "updated")

    def __init__(self, *, ratio: float, floor_per_second: float = 5.0, cap: float = 100.0,
                 clock: Callable[[], float] = time.monotonic):
        self.ratio = ratio
        self.floor_per_second = floor_per_second
        self.cap = cap
        self.clock = clock
        self.balance = floor_per_second
        self.updated = clock()

    def deposit(self) -> None:
        self.balance = min(self.cap, self.balance + self.ratio)

    def try_withdraw(self) -> bool:
        now = self.clock()
        self.balance = min(self.cap, self.balance + (now - self.updated) * self.floor_per_second)
        self.updated = now
        if self.balance >= 1.0:
            self.balance -= 1.0
            return True
        return False
