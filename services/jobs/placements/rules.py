"""Placement and follow-up rules (pure).

Follow-ups fall due 1, 3 and 6 months after placement. One may be recorded from a week before it is due (an
officer phoning a little early is still a follow-up; one a month early is not). Finding the person still in
work at the last pending follow-up closes the loop; finding them out of work ends the placement.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from services.jobs.periods import add_months
from services.jobs.seekers.rules import ASSISTANCE_GROUPS

PlacementType = Literal["market", "public_welfare", "self_employed"]
FollowUpOutcome = Literal["employed", "not_employed"]
FOLLOW_UP_MONTHS = (1, 3, 6)
EARLY_WINDOW = timedelta(days=7)


def follow_up_dates(placed_on: date) -> list[tuple[int, date]]:
    return [(m, add_months(placed_on, m)) for m in FOLLOW_UP_MONTHS]


def placement_type_for(*, requested: str | None, vacancy_public_welfare: bool | None) -> tuple[str | None, str | None]:
    """(type, problem): a vacancy decides market vs public-welfare; self-employment has no vacancy."""
    if vacancy_public_welfare is None:
        if requested in (None, "self_employed"):
            return "self_employed", None
        return None, f"a {requested} placement names the vacancy"
    derived = "public_welfare" if vacancy_public_welfare else "market"
    if requested not in (None, derived):
        return None, f"the vacancy makes this a {derived} placement, not {requested}"
    return derived, None


def public_welfare_refusal(groups: Iterable[str]) -> str | None:
    """Public-welfare posts are the fallback for people who find work hardest (就业困难人员)."""
    if not ASSISTANCE_GROUPS.intersection(groups):
        return "public-welfare posts are reserved for people in an employment-assistance group " \
               f"({', '.join(sorted(ASSISTANCE_GROUPS))})"
    return None


def follow_up_refusal(status: str, due_on: date, today: date) -> str | None:
    if status != "pending":
        return f"this follow-up is {status}"
    if today < due_on - EARLY_WINDOW:
        return f"this follow-up is due on {due_on.isoformat()}; it can be recorded from a week before"
    return None


def days_overdue(due_on: date, today: date) -> int:
    return max((today - due_on).days, 0)
