"""Reading a sequence whose numbers may commit out of order (pure, no I/O).

On PostgreSQL a transaction that took feed number 5 may commit after the one that took 6: a reader that
jumped to "after 6" would miss 5 for ever. The cursor therefore remembers the numbers it skipped (gaps) and
keeps asking for them, besides the numbers above the highest delivered, for a grace period; it gives a gap
up only when it has stayed empty that long (the transaction that took the number rolled back). Asking for
"above the top, or one of the gaps" means a read never returns rows already delivered, so a small batch
cannot hide a late arrival behind them.
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_GAPS = 1_000  # beyond this many missing numbers (a restarted sequence cache, say) the oldest are given up


class FeedCursor:
    def __init__(self, after: int, *, grace_seconds: float = 10.0):
        self.top = after  # the highest number delivered (or the starting point)
        self.grace = grace_seconds
        self._gaps: dict[int, float] = {}  # missing number below ``top`` -> when it was first noticed

    @property
    def missing(self) -> list[int]:
        """Numbers below the top that may still commit: read them along with those above the top."""
        return sorted(self._gaps)

    @property
    def floor(self) -> int:
        """Every number up to here was delivered or given up on."""
        return min(self._gaps, default=self.top + 1) - 1

    def accept(self, numbers: Iterable[int], now: float) -> list[int]:
        """The numbers (ascending) to deliver out of those just read."""
        fresh = sorted(n for n in set(numbers) if n > self.top or n in self._gaps)
        for n in fresh:
            self._gaps.pop(n, None)
        new_top = max([self.top, *fresh])
        delivered = set(fresh)
        for n in range(max(self.top + 1, new_top - MAX_GAPS), new_top):
            if n not in delivered:
                self._gaps.setdefault(n, now)
        self.top = new_top
        for n in [n for n, seen in self._gaps.items() if now - seen >= self.grace]:
            del self._gaps[n]
        while len(self._gaps) > MAX_GAPS:
            del self._gaps[min(self._gaps)]
        return fresh
