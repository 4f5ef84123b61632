"""Admission: at most so many proxied requests per area in flight, a short bounded queue behind them, and past
that an immediate refusal (the handler answers 503 with ``Retry-After``).

Why: past a service's capacity, more concurrency only lengthens the queue inside it (every request gets later,
none gets done sooner) until requests run into the upstream timeout and useful throughput falls. Refused at
the gateway, the excess costs microseconds and the client can come back; the admitted requests keep the
service's normal latency. Only the upstream call holds a slot: health, metrics, the console and event streams
never take one (a stream would pin its slot for as long as it stays open).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from gateway.settings import Settings

FULL = "full"  # every slot taken and the queue full (or no queue)
WAITED = "waited"  # queued, and no slot came free within the longest wait


class Shed(Exception):
    """The request is refused by admission: the area has no slot for it."""

    def __init__(self, area: str, reason: str, limit: int):
        super().__init__(f"{area}: {reason}")
        self.area = area
        self.reason = reason
        self.limit = limit


class Slot:
    """One admitted request; ``release`` gives the slot back (safe to call more than once)."""

    __slots__ = ("_gate",)

    def __init__(self, gate: AreaGate | None):
        self._gate = gate

    def release(self) -> None:
        gate, self._gate = self._gate, None
        if gate is not None:
            gate._leave()


UNLIMITED = Slot(None)


class AreaGate:
    """The admission of one area: ``limit`` in flight, up to ``queue`` more waiting at most ``max_wait`` s (FIFO)."""

    def __init__(self, area: str, *, limit: int, queue: int, max_wait: float):
        self.area = area
        self.limit = limit
        self.queue = queue if max_wait > 0 else 0
        self.max_wait = max_wait
        self.in_flight = 0
        self._waiters: deque[asyncio.Future] = deque()

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    async def enter(self) -> Slot:
        """A slot, at once or after a short wait; ``Shed`` when there is none to be had."""
        if self.limit <= 0:
            return UNLIMITED
        if self.in_flight < self.limit:
            self.in_flight += 1
            return Slot(self)
        if len(self._waiters) >= self.queue:
            raise Shed(self.area, FULL, self.limit)
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        self._waiters.append(waiter)
        timer = loop.call_later(self.max_wait, self._expire, waiter)
        try:
            granted = await waiter
        except asyncio.CancelledError:
            # The client went away while queued. A slot handed over just before goes on to the next in line.
            if waiter.done() and not waiter.cancelled() and waiter.result():
                self._leave()
            else:
                self._forget(waiter)
            raise
        finally:
            timer.cancel()
        if not granted:
            raise Shed(self.area, WAITED, self.limit)
        return Slot(self)

    def _leave(self) -> None:
        """A slot comes free: straight to the longest-waiting request (in_flight unchanged), else back."""
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(True)
                return
        self.in_flight -= 1

    def _expire(self, waiter: asyncio.Future) -> None:
        if not waiter.done():
            waiter.set_result(False)
            self._forget(waiter)

    def _forget(self, waiter: asyncio.Future) -> None:
        with contextlib.suppress(ValueError):  # already taken off by _leave
            self._waiters.remove(waiter)


def area_limits(settings: Settings, replicas: dict[str, int]) -> dict[str, int]:
    """Each area's limit: ``max_in_flight`` per replica listed, or the area's total in ``max_in_flight_areas``."""
    overrides = settings.in_flight_overrides()
    return {area: overrides.get(area, settings.max_in_flight * count) for area, count in replicas.items()}


def build_gates(settings: Settings, replicas: dict[str, int]) -> dict[str, AreaGate]:
    """One gate per area; its queue holds ``admission_queue`` per replica listed."""
    return {area: AreaGate(area, limit=limit, queue=settings.admission_queue * replicas[area],
                           max_wait=settings.admission_wait_ms / 1000)
            for area, limit in area_limits(settings, replicas).items()}
