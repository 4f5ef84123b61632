"""Calendar months: benefit periods (YYYY-MM) and follow-up dates (pure)."""

from __future__ import annotations

import calendar
import re
from datetime import date

PERIOD_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
_PERIOD = re.compile(PERIOD_PATTERN)


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def is_period(text: str) -> bool:
    return bool(_PERIOD.match(text))


def shift_period(period: str, months: int) -> str:
    year, month = int(period[:4]), int(period[5:7])
    index = year * 12 + (month - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def next_period(period: str) -> str:
    return shift_period(period, 1)


def months_between(start: str, end: str) -> int:
    """How many periods from ``start`` up to (not including) ``end``."""
    return (int(end[:4]) * 12 + int(end[5:7])) - (int(start[:4]) * 12 + int(start[5:7]))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
