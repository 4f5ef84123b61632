"""Who a resident is for the services: age and the groups that age and circumstances put them in (pure)."""

from __future__ import annotations

from datetime import date
from typing import Literal

Group = Literal["elderly", "elderly_living_alone", "child", "infant", "disabled", "low_income"]
GROUPS: tuple[str, ...] = ("elderly", "elderly_living_alone", "child", "infant", "disabled", "low_income")
ELDERLY_AGE = 60  # 老年人权益保障法: 60 and over
ADULT_AGE = 18
INFANT_AGE = 3  # 托育 serves children under three


def age_on(birth: date, day: date) -> int:
    """Completed years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_in_months(birth: date, day: date) -> int:
    months = (day.year - birth.year) * 12 + day.month - birth.month
    return months - (day.day < birth.day)


def birthday_cutoff(years: int, today: date) -> date:
    """Born on or before this date means aged ``years`` or more today (29 February falls back to the 28th)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def groups_of(*, birth: date, today: date, lives_alone: bool, disabled: bool, low_income: bool) -> list[str]:
    age = age_on(birth, today)
    out = []
    if age >= ELDERLY_AGE:
        out.append("elderly")
        if lives_alone:
            out.append("elderly_living_alone")
    if age < ADULT_AGE:
        out.append("child")
    if age < INFANT_AGE:
        out.append("infant")
    if disabled:
        out.append("disabled")
    if low_income:
        out.append("low_income")
    return out


def is_vulnerable(*, birth: date, today: date, lives_alone: bool, disabled: bool) -> bool:
    """An old person alone or a disabled person: nobody at home to notice, so alerts weigh more."""
    return disabled or (lives_alone and age_on(birth, today) >= ELDERLY_AGE)
