"""Service acts and proactive contact (pure rules).

Every act counts as contact with the seeker. A contact attempt counts as contact when the person was reached
(reached, refused, agreed to a visit), not when nobody answered: the no-contact flag is about people the
centre has not actually spoken to.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

ActKind = Literal["job_recommendation", "career_guidance", "policy_explanation", "training_referral"]
ACT_KINDS: tuple[str, ...] = ("job_recommendation", "career_guidance", "policy_explanation", "training_referral")
Channel = Literal["phone", "visit", "sms", "wechat", "walk_in"]
ContactOutcome = Literal["reached", "no_answer", "refused", "agreed_to_visit"]
REACHED = frozenset({"reached", "refused", "agreed_to_visit"})
RecommendationStatus = Literal["open", "accepted", "declined", "expired"]
# Stages in which service acts may be recorded: anything but a closed loop (reopen it first).
SERVABLE = frozenset({"registered", "in_service", "placed"})
# A job recommendation is for someone looking for work.
RECOMMENDABLE = frozenset({"registered", "in_service"})


def act_refusal(kind: str, stage: str) -> str | None:
    if stage not in SERVABLE:
        return f"the seeker's loop is closed ({stage}): reopen it before serving again"
    if kind == "job_recommendation" and stage not in RECOMMENDABLE:
        return f"a job recommendation is for someone looking for work; this seeker is {stage}"
    return None


def recommendation_state(status: str | None, expires_at: datetime | None, now: datetime) -> str | None:
    """The status as of ``now``: an open recommendation past its expiry is expired even before the sweep."""
    if status == "open" and expires_at is not None and expires_at <= now:
        return "expired"
    return status


def response_refusal(status: str | None, expires_at: datetime | None, now: datetime) -> str | None:
    state = recommendation_state(status, expires_at, now)
    if state is None:
        return "only a job recommendation can be answered"
    if state != "open":
        return f"this recommendation is {state}"
    return None


def expiry(at: datetime, ttl_days: int) -> datetime:
    return at + timedelta(days=ttl_days)


def counts_as_contact(outcome: str) -> bool:
    return outcome in REACHED
