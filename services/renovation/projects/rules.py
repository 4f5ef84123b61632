"""The renovation project's lifecycle: planned → approved → in_progress → completed → accepted."""

from __future__ import annotations

from typing import Literal

ProjectStatus = Literal["planned", "approved", "in_progress", "completed", "accepted"]

# action -> (from status, to status)
TRANSITIONS: dict[str, tuple[ProjectStatus, ProjectStatus]] = {
    "approve": ("planned", "approved"),
    "start": ("approved", "in_progress"),
    "complete": ("in_progress", "completed"),
    "accept": ("completed", "accepted"),
}


def next_status(current: str, action: str) -> ProjectStatus | None:
    """The status ``action`` leads to from ``current``, or None when the transition is not allowed."""
    rule = TRANSITIONS.get(action)
    if rule is None or rule[0] != current:
        return None
    return rule[1]
