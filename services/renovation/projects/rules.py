"""The renovation project's lifecycle and plan rules (pure: no I/O).

planned → approved → in_progress → completed → accepted. Acceptance (验收) is not a bare verb: a project is
accepted when an acceptance inspection passes (see ``acceptance``), so ``accept`` is refused by the verb API.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

ProjectStatus = Literal["planned", "approved", "in_progress", "completed", "accepted"]
ScopeKind = Literal["pipes", "lifts", "facades", "accessibility", "parking", "greening", "roofs", "fire_safety",
                    "ageing_friendly", "other"]
STATUSES: tuple[str, ...] = ("planned", "approved", "in_progress", "completed", "accepted")
# The plan (scope, budget, dates, estates) can change until works start.
EDITABLE = frozenset({"planned", "approved"})
# Milestones can be planned until completion and report progress while works are on.
MILESTONE_PLANNING = frozenset({"planned", "approved", "in_progress"})
PROGRESS_REPORTING = frozenset({"approved", "in_progress"})
# "Renovated" area = works finished (completed, awaiting or past acceptance); "under way" = works on site.
RENOVATED = ("completed", "accepted")
UNDER_WAY = ("in_progress",)

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


def refusal(current: str, action: str, *, unfinished_milestones: Iterable[str] = ()) -> str | None:
    """Why the verb ``action`` may not be applied now, or None when it may."""
    if action == "accept":
        if current == "completed":
            return "a completed project is accepted by passing an acceptance inspection (POST .../inspections)"
        return f"cannot accept a project that is {current}"
    if next_status(current, action) is None:
        return f"cannot {action} a project that is {current}"
    unfinished = list(unfinished_milestones)
    if action == "complete" and unfinished:
        return f"milestones not at 100%: {', '.join(unfinished)}"
    return None


def scope_over_budget(budget_fen: int, scope_budgets: Iterable[int]) -> int:
    """By how many fen the scope items exceed the project budget (0 when they fit)."""
    return max(sum(scope_budgets) - budget_fen, 0)


def overall_progress(milestone_progress: Iterable[int]) -> int:
    values = list(milestone_progress)
    return round(sum(values) / len(values)) if values else 0
