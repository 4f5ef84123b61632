"""Plausibility of a reading: nonsense is refused (422) before anything is stored or graded."""

from __future__ import annotations

from datetime import datetime, timedelta

# A device clock may run a little fast; more than this in the future is a wrong clock, not a reading.
CLOCK_SKEW = timedelta(minutes=5)
# A reading older than this when it arrives (a device syncing its memory, a backfill) is graded and kept as
# flagged, but raises no alert: a home visit or a referral for last month's value would come too late to help.
ALERT_WINDOW = timedelta(hours=72)


def alerts(measured_at: datetime, now: datetime) -> bool:
    return now - measured_at <= ALERT_WINDOW


def implausible(measure: str, *, systolic: int | None, diastolic: int | None, glucose_mmol: float | None,
                glucose_context: str | None, measured_at: datetime | None, now: datetime) -> tuple[str, str] | None:
    """(field, problem) of the first thing wrong with the reading, or None."""
    if measure == "blood_pressure":
        if systolic is None:
            return "systolic", "is required for a blood-pressure reading"
        if diastolic is None:
            return "diastolic", "is required for a blood-pressure reading"
        if glucose_mmol is not None or glucose_context is not None:
            return "glucose_mmol", "does not belong to a blood-pressure reading"
        if systolic <= diastolic:
            return "diastolic", "must be lower than systolic"
    else:
        if glucose_mmol is None:
            return "glucose_mmol", "is required for a glucose reading"
        if glucose_context is None:
            return "glucose_context", "is required for a glucose reading (fasting, postprandial or random)"
        if systolic is not None or diastolic is not None:
            return "systolic", "does not belong to a glucose reading"
    if measured_at is not None:
        if measured_at.tzinfo is None:
            return "measured_at", "must carry a time zone (UTC)"
        if measured_at > now + CLOCK_SKEW:
            return "measured_at", "must not be in the future"
    return None
