"""Escalation as pure rules: severities, the acknowledgement limit, and who holds an order at each level.

A raised work order must be acknowledged within its severity's limit. Each missed limit moves it one level up
the duty chain (grid worker → duty officer → secretary → street emergency office, say) and starts the limit
again; past the top of the chain it stays with the top and keeps escalating (re-notifying) until someone
acknowledges. thingsboard leaves this to users (issues #8520, #12501); here it is the default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
RANK = {s: i for i, s in enumerate(SEVERITIES)}
# A sweep after a long outage catches up on missed deadlines, but only so far at once (the next sweep goes on).
MAX_STEPS_PER_SWEEP = 10
ASSIGNEE = r"^[A-Za-z0-9_.@:\-]{1,120}$"


def higher(a: str, b: str) -> str:
    return a if RANK[a] >= RANK[b] else b


@dataclass(frozen=True)
class EscalationPolicy:
    ack_limits: Mapping[str, int]  # severity -> seconds
    default_chain: tuple[str, ...]

    def limit(self, severity: str) -> timedelta:
        return timedelta(seconds=self.ack_limits[severity])


def assignee_at(chain: Sequence[str], level: int) -> str:
    return chain[min(level, len(chain) - 1)]


def missed_deadlines(*, due_at: datetime, now: datetime, limit: timedelta,
                     max_steps: int = MAX_STEPS_PER_SWEEP) -> tuple[list[datetime], datetime]:
    """The deadlines passed by ``now`` (oldest first, one escalation each) and the next deadline."""
    missed, due = [], due_at
    while due <= now and len(missed) < max_steps:
        missed.append(due)
        due += limit
    return missed, due
