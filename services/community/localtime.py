"""China Standard Time (UTC+8, no daylight saving): days, meal sittings and opening hours are local; storage
and the API stay in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

CST = timezone(timedelta(hours=8), "CST")


def local_date(moment: datetime) -> date:
    return moment.astimezone(CST).date()


def local_day_start(day: date) -> datetime:
    """The UTC instant at which local ``day`` begins."""
    return datetime.combine(day, time(0), CST).astimezone(UTC)


def local_at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, CST).astimezone(UTC)
