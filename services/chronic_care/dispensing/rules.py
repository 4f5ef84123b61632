"""Dispensing without leaving the village.

A refill of a drug in the station's catalogue is dispensed there: requested → dispensed. A drug outside it
becomes an order on the district platform: ordered → approved → delivered (to the station) → dispensed.
Either can be dispensed in parts when stock is short (partially_dispensed until the rest is issued).
"""

from __future__ import annotations

from typing import Literal

RefillStatus = Literal["requested", "ordered", "approved", "rejected", "delivered", "partially_dispensed",
                       "dispensed", "cancelled"]
Path = Literal["in_catalogue", "out_of_catalogue"]
Action = Literal["approve", "reject", "deliver", "cancel"]

TRANSITIONS: dict[str, dict[str, RefillStatus]] = {
    "approve": {"ordered": "approved"},
    "reject": {"ordered": "rejected"},
    "deliver": {"approved": "delivered"},
    "cancel": {"requested": "cancelled", "ordered": "cancelled", "approved": "cancelled"},
}
DISPENSABLE: set[str] = {"requested", "delivered", "partially_dispensed"}
# Steps of the district platform (the approver must not be the requester: maker-checker).
PLATFORM_ACTIONS = {"approve", "reject"}


def start(in_catalogue: bool) -> tuple[Path, RefillStatus]:
    return ("in_catalogue", "requested") if in_catalogue else ("out_of_catalogue", "ordered")


def next_status(current: str, action: str) -> RefillStatus | None:
    return TRANSITIONS.get(action, {}).get(current)


def after_issue(dispensed_total: int, quantity: int) -> RefillStatus:
    return "dispensed" if dispensed_total >= quantity else "partially_dispensed"
