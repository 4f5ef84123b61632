"""The job seeker's closed loop and registration rules (pure: no I/O).

Loop (登记—主动服务—后续跟踪): registered → in_service → placed → followed_up (closed).
- the first service act (recommendation, guidance, policy explanation, training referral) starts service;
- a placement may come straight from registered (the person found work themselves: a new urban job, but
  not one the centre helped into) or from in_service (helped into work);
- the last scheduled follow-up that finds the person still employed closes the loop; a follow-up that finds
  them out of work sends them back to in_service;
- a closed record is reopened (back to in_service) when the person comes back out of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

Stage = Literal["registered", "in_service", "placed", "followed_up"]
STAGES: tuple[str, ...] = ("registered", "in_service", "placed", "followed_up")
ACTIVE_STAGES = ("registered", "in_service")  # looking for work: matching, benefits, proactive contact
PriorityGroup = Literal["graduate", "older_unemployed", "land_expropriated", "hard_to_employ",
                        "zero_employment_household", "disabled"]
PRIORITY_GROUPS: tuple[str, ...] = ("graduate", "older_unemployed", "land_expropriated", "hard_to_employ",
                                    "zero_employment_household", "disabled")
# Groups the district's employment-assistance policy (就业援助) treats as having difficulty finding work:
# they may take public-welfare posts (公益性岗位), the fallback placement.
ASSISTANCE_GROUPS = frozenset({"older_unemployed", "land_expropriated", "hard_to_employ",
                               "zero_employment_household", "disabled"})
Education = Literal["primary", "junior_high", "senior_high", "vocational", "college", "bachelor", "postgraduate"]

# event -> (stages it may happen in, stage it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "serve": (frozenset({"registered"}), "in_service"),
    "place": (frozenset({"registered", "in_service"}), "placed"),
    "close": (frozenset({"placed"}), "followed_up"),
    "lose_job": (frozenset({"placed"}), "in_service"),
    "reopen": (frozenset({"followed_up"}), "in_service"),
}
_WHY = {
    "serve": "service starts from registered",
    "place": "only a seeker who is registered or in service can be placed",
    "close": "only a placed seeker's loop can be closed by a follow-up",
    "lose_job": "only a placed seeker can be recorded as out of work again",
    "reopen": "only a closed (followed_up) record can be reopened",
}


def next_stage(current: str, event: str) -> str | None:
    rule = TRANSITIONS.get(event)
    if rule is None or current not in rule[0]:
        return None
    return rule[1]


def refusal(current: str, event: str) -> str | None:
    """Why ``event`` may not happen to a seeker in ``current``, or None when it may."""
    if next_stage(current, event) is None:
        return f"{_WHY.get(event, event)}; this seeker is {current}"
    return None


# Statutory working age: from 16 to the retirement age (men 60, women 55 for most urban workers).
MIN_WORKING_AGE = 16
RETIREMENT_AGE = {"M": 60, "F": 55}
# "4050" older unemployed: women from 40, men from 50.
OLDER_UNEMPLOYED_AGE = {"M": 50, "F": 40}
# A graduate within the policy's reach: the year of graduation and the two after (assumed ≤ 30 years old).
GRADUATE_MAX_AGE = 30


def sex_from_id(id_number: str) -> str:
    """GB 11643: the 17th character is odd for men, even for women."""
    return "M" if int(id_number[16]) % 2 else "F"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_working_age(born: date, sex: str, day: date) -> bool:
    return MIN_WORKING_AGE <= age_on(born, day) < RETIREMENT_AGE[sex]


def group_problems(groups: Iterable[str], *, born: date, sex: str, day: date) -> list[str]:
    """Priority groups the person's age rules out (a claimed group that the ID number contradicts)."""
    age = age_on(born, day)
    problems = []
    groups = set(groups)
    if "older_unemployed" in groups and age < OLDER_UNEMPLOYED_AGE[sex]:
        who = "men" if sex == "M" else "women"
        problems.append(f"older_unemployed needs age {OLDER_UNEMPLOYED_AGE[sex]}+ ({who}); this person is {age}")
    if "graduate" in groups and age > GRADUATE_MAX_AGE:
        problems.append(f"graduate is for people up to {GRADUATE_MAX_AGE}; this person is {age}")
    return problems


def normalise_terms(values: Iterable[str]) -> list[str]:
    """Skills and posts compared case- and space-insensitively, without duplicates, in a stable order."""
    seen: dict[str, None] = {}
    for value in values:
        term = " ".join(value.split()).lower()
        if term:
            seen.setdefault(term, None)
    return list(seen)
