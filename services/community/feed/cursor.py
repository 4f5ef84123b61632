"""Reading a sequence whose numbers may commit out of order (pure, no I/O).

On PostgreSQL a transaction that took feed number 5 may commit after the one that took 6: a reader that
jumped to "after 6" would miss 5 for ever. The cursor therefore keeps its floor below any gap for a grace
period, delivering late arrivals exactly once, and steps over a gap only when it has stayed empty that long
(the transaction that took the number rolled back).
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_TRACKED_GAP = 10_000  # a jump wider than this is not waited for (e.g. a restarted sequence cache)


class FeedCursor:
    def __init__(self, after: int, *, grace_seconds: float = 10.0):
        self.floor = after  # every number <= floor was delivered or given up on
        self.grace = grace_seconds
        self._seen: set[int] = set()  # delivered numbers above the floor
        self._gaps: dict[int, float] = {}  # missing number -> when it was first noticed

    def accept(self, numbers: Iterable[int], now: float) -> list[int]:
        """The numbers (ascending) to deliver out of those just read; advances the floor."""
        fresh = sorted(n for n in set(numbers) if n > self.floor and n not in self._seen)
        self._seen.update(fresh)
        top = max(self._seen, default=self.floor)
        if top - self.floor > MAX_TRACKED_GAP:
            self.floor, self._seen, self._gaps = top, set(), {}
            return fresh
        for n in range(self.floor + 1, top):
            if n not in self._seen:
                self._gaps.setdefault(n, now)
        for n in [n for n in self._gaps if n in self._seen]:
            del self._gaps[n]
        while True:
            following = self.floor + 1
            if following in self._seen:
                self._seen.discard(following)
            elif following in self._gaps and now - self._gaps[following] >= self.grace:
                del self._gaps[following]
            else:
                break
            self.floor = following
        return fresh

    @property
    def last_delivered(self) -> int:
        """What a client should resume after (Last-Event-ID): everything up to it has been delivered."""
        return max(self._seen, default=self.floor)
