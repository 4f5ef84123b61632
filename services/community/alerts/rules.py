"""Alerts as pure rules: what each kind of alert means, how severe it is, and when it can be believed.

Severity rises one step for a vulnerable household (an old person living alone, a disabled person): nobody
else is there to notice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

AlertKind = Literal["alarm", "no_activity", "low_battery", "offline", "tamper", "test"]
EMERGENCY_KINDS = frozenset({"alarm", "no_activity"})
MAINTENANCE_KINDS = frozenset({"low_battery", "offline", "tamper"})
# no_activity: the door sensor saw no movement for the vendor's configured hours (a fall, an illness).
ONLY_FOR = {"no_activity": frozenset({"door_sensor"})}
ALARM_SEVERITY = {"smoke": "critical", "gas": "critical", "emergency_button": "critical", "door_sensor": "medium"}
LIFE_SAFETY = frozenset({"smoke", "gas", "emergency_button"})
FUTURE_TOLERANCE = timedelta(minutes=5)  # device clocks drift
STALE_AFTER = timedelta(hours=24)  # a buffered alert older than this is history, not an incident
_BUMP = {"low": "medium", "medium": "high", "high": "critical", "critical": "critical"}


def kind_problem(device_type: str, kind: str) -> str | None:
    allowed = ONLY_FOR.get(kind)
    if allowed is not None and device_type not in allowed:
        return f"a {device_type} device does not report {kind}"
    return None


def category_of(kind: str) -> str | None:
    """emergency, maintenance, or None (a test: recorded, no work order)."""
    if kind in EMERGENCY_KINDS:
        return "emergency"
    if kind in MAINTENANCE_KINDS:
        return "maintenance"
    return None


def severity_for(device_type: str, kind: str, *, vulnerable: bool) -> str | None:
    if kind == "alarm":
        base = ALARM_SEVERITY[device_type]
    elif kind == "no_activity":
        base = "high"
    elif kind in MAINTENANCE_KINDS:
        # A vulnerable person without a working smoke, gas or call button is more than a chore.
        base = "low"
        return _BUMP[base] if vulnerable and device_type in LIFE_SAFETY else base
    else:
        return None
    return _BUMP[base] if vulnerable else base


def timing_problem(occurred_at: datetime, now: datetime) -> str | None:
    if occurred_at > now + FUTURE_TOLERANCE:
        return "is in the future (check the device clock)"
    if occurred_at < now - STALE_AFTER:
        return "is more than 24 hours old; report it to the community office instead"
    return None
