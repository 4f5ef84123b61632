"""Rules of follow-ups and of the calls made to overdue patients (the simple.org call-list model)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

CallOutcome = Literal["agreed_to_visit", "call_later", "removed"]
RemovedReason = Literal["moved", "transferred", "died", "refused", "other"]
# These end the patient's care here: no next follow-up, and the patient leaves the registers' counts.
ENDS_CARE = {"moved", "transferred", "died"}


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def call_again_at(outcome: CallOutcome, *, visit_on: date | None, call_on: date | None) -> datetime | None:
    """When the patient comes back on the overdue list: the day after an agreed visit (if they did not come),
    or the day the patient asked to be called back."""
    if outcome == "agreed_to_visit" and visit_on:
        return start_of(visit_on + timedelta(days=1))
    if outcome == "call_later" and call_on:
        return start_of(call_on)
    return None


def check_call(outcome: CallOutcome, *, visit_on: date | None, call_on: date | None,
               removed_reason: str | None, today: date) -> tuple[str, str] | None:
    """(field, problem) when the call outcome is incomplete or contradictory, else None."""
    if outcome == "agreed_to_visit":
        if visit_on is None:
            return "visit_on", "the day the patient agreed to come is required"
        if visit_on < today:
            return "visit_on", "must not be in the past"
    if outcome == "call_later":
        if call_on is None:
            return "call_on", "the day to call again is required"
        if call_on <= today:
            return "call_on", "must be after today"
    if outcome == "removed" and removed_reason is None:
        return "removed_reason", "a reason is required to remove a patient from the overdue list"
    return None


def days_overdue(due_at: datetime, now: datetime) -> int:
    return max(0, (now - due_at).days)
