"""Resident participation as pure rules.

A plan is open for votes, then evaluating (voting closed), then answered: accepted or rejected, with reasons.
One vote per registered household: a household's later vote replaces its earlier one, whichever channel
(online, paper, booth) it came by. Paper ballots are entered after the fact, so "later" means the time the
household cast it, not the time staff typed it in: an older paper ballot never overrides a newer online vote.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

PlanStatus = Literal["open", "evaluating", "accepted", "rejected"]
STATUSES: tuple[str, ...] = ("open", "evaluating", "accepted", "rejected")
Choice = Literal["for", "against", "abstain"]
CHOICES: tuple[str, ...] = ("for", "against", "abstain")
Channel = Literal["online", "paper", "booth"]
CHANNELS: tuple[str, ...] = ("online", "paper", "booth")
OfflineChannel = Literal["paper", "booth"]
PlanAction = Literal["close", "accept", "reject"]

TRANSITIONS: dict[str, tuple[str, str]] = {
    "close": ("open", "evaluating"),
    "accept": ("evaluating", "accepted"),
    "reject": ("evaluating", "rejected"),
}
ANSWERS = frozenset({"accept", "reject"})  # the plan's answer carries its reasons
COMMENTABLE = frozenset({"open", "evaluating"})
# Paper ballots collected while voting was open may still be entered during evaluation.
PAPER_ENTRY = frozenset({"open", "evaluating"})
# Satisfaction is rated on what was built: the linked project's works must be finished.
WORKS_FINISHED = frozenset({"completed", "accepted"})


def next_status(current: str, action: str) -> str | None:
    rule = TRANSITIONS.get(action)
    if rule is None or rule[0] != current:
        return None
    return rule[1]


def online_vote_refusal(status: str, closes_on: date | None, today: date) -> str | None:
    if status != "open":
        return f"voting is closed: the plan is {status}"
    if closes_on is not None and today > closes_on:
        return f"voting closed on {closes_on}"
    return None


def replaces(existing_cast_at: datetime, new_cast_at: datetime) -> bool:
    """Whether a household's new vote replaces its recorded one (the later cast wins; a tie: the new one)."""
    return new_cast_at >= existing_cast_at


def rating_refusal(plan_status: str, project_status: str | None) -> str | None:
    if plan_status != "accepted":
        return f"satisfaction is rated after the plan is accepted; it is {plan_status}"
    if project_status is not None and project_status not in WORKS_FINISHED:
        return f"satisfaction is rated once the works are completed; the project is {project_status}"
    return None


def approval_pct(votes_for: int, votes_against: int) -> float | None:
    decided = votes_for + votes_against
    return round(100 * votes_for / decided, 1) if decided else None
