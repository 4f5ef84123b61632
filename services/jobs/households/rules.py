"""Zero-employment household (零就业家庭) rule (pure).

A household is flagged when it has at least one member of working age and none of its working-age members
is employed; it is clear otherwise (a household of retired people only is not a zero-employment household).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.jobs.seekers.rules import is_working_age

HouseholdStatus = Literal["zero_employment", "clear"]


@dataclass(frozen=True)
class MemberFacts:
    birth_date: date
    sex: str
    employed: bool


def household_status(members: Iterable[MemberFacts], day: date) -> HouseholdStatus:
    working_age = [m for m in members if is_working_age(m.birth_date, m.sex, day)]
    if working_age and not any(m.employed for m in working_age):
        return "zero_employment"
    return "clear"
