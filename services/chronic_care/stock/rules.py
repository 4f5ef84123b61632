"""Stock rules: how much of a request can be dispensed, and when stock counts as low."""

from __future__ import annotations


def dispensable(wanted: int, on_hand: int) -> tuple[int, bool]:
    """(quantity to issue now, whether the issue is partial). Issue what is there rather than send the
    patient away: a partial issue is recorded and the rest is dispensed when stock arrives."""
    if wanted <= 0:
        return 0, False
    issued = max(0, min(wanted, on_hand))
    return issued, 0 < issued < wanted


def is_low(on_hand: int, low_level: int) -> bool:
    return on_hand <= low_level
