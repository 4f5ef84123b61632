"""The admission referral's lifecycle (入院办理不出村): proposed (by a critical reading) → requested → accepted →
admitted → discharged; a proposal can be dismissed, a request declined or cancelled."""

from __future__ import annotations

from typing import Literal

ReferralStatus = Literal["proposed", "requested", "accepted", "admitted", "discharged", "dismissed", "declined",
                         "cancelled"]
Action = Literal["confirm", "dismiss", "accept", "decline", "admit", "discharge", "cancel"]

TRANSITIONS: dict[str, dict[str, ReferralStatus]] = {
    "confirm": {"proposed": "requested"},
    "dismiss": {"proposed": "dismissed"},
    "accept": {"requested": "accepted"},
    "decline": {"requested": "declined"},
    "admit": {"accepted": "admitted"},
    "discharge": {"admitted": "discharged"},
    "cancel": {"requested": "cancelled", "accepted": "cancelled"},
}
# Steps the receiving hospital reports (its integration may do it, as may the station's staff).
HOSPITAL_ACTIONS = {"accept", "decline", "admit", "discharge"}
# Steps that end a referral: still possible once the patient has withdrawn consent.
CLOSING_ACTIONS = {"dismiss", "decline", "cancel"}
OPEN = ("proposed", "requested", "accepted", "admitted")


def next_status(current: str, action: str) -> ReferralStatus | None:
    return TRANSITIONS.get(action, {}).get(current)
