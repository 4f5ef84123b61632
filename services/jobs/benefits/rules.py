"""Unemployment-insurance benefit rules (pure).

Claim: pending → approved | rejected (by a checker other than the officer who filed it);
approved → stopped (placement: from the period after the month of placement) | exhausted (every month paid).
Batch: draft → approved | refused (maker-checker, with a reason) ; approved → paid.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from services.jobs.periods import next_period, period_of

ClaimStatus = Literal["pending", "approved", "rejected", "stopped", "exhausted"]
BatchStatus = Literal["draft", "approved", "refused", "paid"]
LineStatus = Literal["pending", "paid", "withheld"]
OPEN_CLAIMS = ("pending", "approved")
# The monthly amount is tied to the local minimum wage; the cap guards against a mistyped figure.
MAX_MONTHLY_FEN = 500_000
MAX_MONTHS = 24

_BATCH = {"approve": ("draft", "approved"), "refuse": ("draft", "refused"), "pay": ("approved", "paid")}
_CLAIM = {"approve": ("pending", "approved"), "reject": ("pending", "rejected")}


def batch_refusal(status: str, action: str) -> str | None:
    source, _ = _BATCH[action]
    return None if status == source else f"cannot {action} a batch that is {status}"


def batch_target(action: str) -> str:
    return _BATCH[action][1]


def claim_refusal(status: str, action: str) -> str | None:
    source, _ = _CLAIM[action]
    return None if status == source else f"cannot {action} a claim that is {status}"


def claim_target(action: str) -> str:
    return _CLAIM[action][1]


def stop_period_after_placement(placed_on: date) -> str:
    """A placement stops the benefit from the next period: the month of placement is still paid."""
    return next_period(period_of(placed_on))


def payable(*, status: str, start_period: str, stop_from_period: str | None, months_entitled: int,
            months_used: int, period: str) -> bool:
    return (status == "approved" and start_period <= period
            and (stop_from_period is None or period < stop_from_period) and months_used < months_entitled)
