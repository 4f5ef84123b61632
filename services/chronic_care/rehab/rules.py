"""Rehabilitation nursing at home (康复护理不出村): a plan (active → completed | cancelled) and its visits."""

from __future__ import annotations

from typing import Literal

PlanStatus = Literal["active", "completed", "cancelled"]
Action = Literal["complete", "cancel"]
TRANSITIONS: dict[str, dict[str, PlanStatus]] = {
    "complete": {"active": "completed"},
    "cancel": {"active": "cancelled"},
}


def next_status(current: str, action: str) -> PlanStatus | None:
    return TRANSITIONS.get(action, {}).get(current)
