"""Future-community creation as pure rules.

applied → selected (入选试点) → building → inspection_requested → accepted | rejected; an application that is
not selected is rejected from ``applied``. Each scenario it covers is inspected on its own (pending → passed |
failed, a failed one may be inspected again); a community is not accepted while a scenario stands failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Level = Literal["province", "city"]
CommunityStatus = Literal["applied", "selected", "building", "inspection_requested", "accepted", "rejected"]
STATUSES: tuple[str, ...] = ("applied", "selected", "building", "inspection_requested", "accepted", "rejected")
Scenario = Literal["one_old_one_young", "neighbourhood", "education", "health", "entrepreneurship",
                   "architecture", "transport", "low_carbon", "services", "governance"]
REQUIRED_SCENARIO = "one_old_one_young"  # 一老一小: every application in the district covers it
# Selected as a pilot and not dropped: what the district counts as its future-community projects.
PILOTS = ("selected", "building", "inspection_requested", "accepted")
# Scenarios are inspected once there is something built to look at.
SCENARIO_INSPECTABLE = frozenset({"building", "inspection_requested", "accepted"})
# The application's details may change until a decision closes it.
OPEN = frozenset({"applied", "selected", "building", "inspection_requested"})

Action = Literal["select", "start", "request-inspection", "accept", "reject"]
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "select": (frozenset({"applied"}), "selected"),
    "start": (frozenset({"selected"}), "building"),
    "request-inspection": (frozenset({"building"}), "inspection_requested"),
    "accept": (frozenset({"inspection_requested"}), "accepted"),
    "reject": (frozenset({"applied", "inspection_requested"}), "rejected"),
}
NEEDS_REASON = frozenset({"reject"})


def next_status(current: str, action: str) -> str | None:
    rule = TRANSITIONS.get(action)
    if rule is None or current not in rule[0]:
        return None
    return rule[1]


def refusal(current: str, action: str, *, failed_scenarios: Iterable[str] = ()) -> str | None:
    """Why ``action`` may not be applied now, or None when it may."""
    if next_status(current, action) is None:
        return f"cannot {action} an application that is {current}"
    failed = sorted(failed_scenarios)
    if action == "accept" and failed:
        return f"scenario inspections failed: {', '.join(failed)}"
    return None


def scenario_refusal(application_status: str, scenario_status: str) -> str | None:
    if application_status not in SCENARIO_INSPECTABLE:
        return f"scenarios are inspected once building has started; the application is {application_status}"
    if scenario_status == "passed":
        return "this scenario has already passed its inspection"
    return None
