"""The work-order loop as a pure state machine.

raised → acknowledged → dispatched → on_site → resolved → reviewed. Two honest shortcuts: an order
acknowledged and cleared by phone (a cooking-smoke false alarm, a pressed-by-mistake button) is resolved from
``acknowledged`` as ``false_alarm`` or ``resolved_remotely``, without a pointless dispatch.
"""

from __future__ import annotations

from typing import Literal

WorkOrderStatus = Literal["raised", "acknowledged", "dispatched", "on_site", "resolved", "reviewed"]
STATUSES: tuple[str, ...] = ("raised", "acknowledged", "dispatched", "on_site", "resolved", "reviewed")
OPEN: tuple[str, ...] = ("raised", "acknowledged", "dispatched", "on_site")
Resolution = Literal["handled", "false_alarm", "resolved_remotely", "device_replaced", "referred_to_hospital",
                     "fire_service"]
REMOTE_RESOLUTIONS = frozenset({"false_alarm", "resolved_remotely"})
Verb = Literal["acknowledge", "dispatch", "arrive", "resolve", "review"]

# verb -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "acknowledge": (frozenset({"raised"}), "acknowledged"),
    "dispatch": (frozenset({"acknowledged"}), "dispatched"),
    "arrive": (frozenset({"dispatched"}), "on_site"),
    "resolve": (frozenset({"acknowledged", "on_site"}), "resolved"),
    "review": (frozenset({"resolved"}), "reviewed"),
}


def refusal(current: str, verb: str, *, resolution: str | None = None) -> str | None:
    """Why ``verb`` may not be applied to an order that is ``current``, or None when it may."""
    allowed, _ = TRANSITIONS[verb]
    if current not in allowed:
        return f"cannot {verb} a work order that is {current}"
    if verb == "resolve" and current == "acknowledged" and resolution not in REMOTE_RESOLUTIONS:
        return "an order resolved without going on site is a false alarm or resolved remotely; dispatch otherwise"
    return None


def target(verb: str) -> str:
    return TRANSITIONS[verb][1]


def seconds_between(start, end) -> int | None:
    return None if start is None or end is None else max(int((end - start).total_seconds()), 0)
