"""A circuit breaker per upstream replica, on an injected monotonic clock (tests move time, never sleep).

closed --N consecutive failures--> open --open_seconds--> half-open (one probe) --success--> closed
                                                                               --failure--> open
"""

from __future__ import annotations

import time
from collections.abc import Callable

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"


class CircuitBreaker:
    __slots__ = ("_probing", "clock", "failures", "open_seconds", "opened_at", "state", "threshold")

    def __init__(self, *, threshold: int, open_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.threshold = max(1, threshold)
        self.open_seconds = open_seconds
        self.clock = clock
        self.state = CLOSED
        self.failures = 0
        self.opened_at = 0.0
        self._probing = False

    def allow(self) -> bool:
        """May a request go to this replica now? In half-open state only one probe is let through."""
        if self.state == CLOSED:
            return True
        if self.state == OPEN:
            if self.clock() - self.opened_at < self.open_seconds:
                return False
            self.state = HALF_OPEN
        if self._probing:
            return False
        self._probing = True
        return True

    def record_success(self) -> None:
        self.state, self.failures, self._probing = CLOSED, 0, False

    def record_failure(self) -> None:
        self._probing = False
        if self.state == HALF_OPEN:
            self._open()
            return
        self.failures += 1
        if self.failures >= self.threshold:
            self._open()

    def release(self) -> None:
        """The attempt ended without a verdict (the caller went away): let another probe try."""
        self._probing = False

    def _open(self) -> None:
        self.state, self.opened_at = OPEN, self.clock()

    @property
    def seconds_until_retry(self) -> float:
        if self.state != OPEN:
            return 0.0
        return max(0.0, self.open_seconds - (self.clock() - self.opened_at))
