"""Home visits as pure rules: how soon, how requests fold together, and the task's states."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

VisitReason = Literal["reading_flagged", "alert_follow_up", "routine", "staff_request"]
Priority = Literal["routine", "high", "critical"]
Outcome = Literal["visited", "not_home", "referred", "declined"]
VisitStatus = Literal["open", "assigned", "done", "cancelled"]
OPEN = ("open", "assigned")
PRIORITY_RANK = {"routine": 0, "high": 1, "critical": 2}
# A critical reading (BP ≥ 180/110) is seen the same day; a high one within a day; a routine call within a week.
DUE_WITHIN = {"critical": timedelta(hours=4), "high": timedelta(hours=24), "routine": timedelta(days=7)}
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "assign": (frozenset(OPEN), "assigned"),
    "complete": (frozenset(OPEN), "done"),
    "cancel": (frozenset(OPEN), "cancelled"),
}


def due_at(priority: str, requested_at: datetime) -> datetime:
    return requested_at + DUE_WITHIN[priority]


def folded(*, priority: str, due: datetime, new_priority: str, new_due: datetime) -> tuple[str, datetime]:
    """An open visit asked for again keeps the more urgent priority and the earlier deadline."""
    higher = new_priority if PRIORITY_RANK[new_priority] > PRIORITY_RANK[priority] else priority
    return higher, min(due, new_due)


def refusal(current: str, verb: str) -> str | None:
    allowed, _ = TRANSITIONS[verb]
    return None if current in allowed else f"cannot {verb} a visit that is {current}"
