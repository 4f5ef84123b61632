"""Childcare (托育) as pure rules: who is old enough, and when a booking may be made or changed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

BookingStatus = Literal["booked", "cancelled", "attended", "no_show"]
HOLDS_A_PLACE = ("booked", "attended", "no_show")
# 托育 is for children under three; nurseries take them from six months.
YOUNGEST_MONTHS, OLDEST_MONTHS = 6, 36


def age_refusal(months: int, min_months: int, max_months: int) -> str | None:
    """``max_months`` is exclusive: a slot for 6-36 months takes a child until their third birthday."""
    if months < min_months:
        return f"the child is {months} months old; this slot takes children from {min_months} months"
    if months >= max_months:
        return f"the child is {months} months old; this slot takes children under {max_months} months"
    return None


def booking_refusal(*, slot_status: str, starts_at: datetime, now: datetime, places_left: int) -> str | None:
    if slot_status != "open":
        return f"the slot is {slot_status}"
    if now >= starts_at:
        return "the slot has started"
    if places_left <= 0:
        return "the slot is full"
    return None


# (from, verb) -> to; an illegal one is a 409.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("booked", "cancel"): "cancelled",
    ("booked", "check_in"): "attended",
    ("booked", "no_show"): "no_show",
}
