"""The idle-space inventory as pure rules: identified → allocated (to a service type) → commissioned.

A space may be re-allocated to another service type until it is commissioned; commissioning is final here
(the community service runs the station from then on).
"""

from __future__ import annotations

from typing import Literal

SpaceKind = Literal["stilt_floor", "corridor", "state_asset", "commercial"]
ServiceType = Literal["childcare", "elderly_care", "health", "neighbourhood", "canteen"]
SpaceStatus = Literal["identified", "allocated", "commissioned"]
STATUSES: tuple[str, ...] = ("identified", "allocated", "commissioned")
SERVICE_TYPES: tuple[str, ...] = ("childcare", "elderly_care", "health", "neighbourhood", "canteen")


def allocation_refusal(status: str) -> str | None:
    if status == "commissioned":
        return "a commissioned space is in service; it can no longer be re-allocated"
    return None


def commission_refusal(status: str) -> str | None:
    if status == "identified":
        return "allocate the space to a service type before commissioning it"
    if status == "commissioned":
        return "the space is already commissioned"
    return None
