"""Keeping the overview's counters: use cases call these inside their own transaction.

Period figures are counted in the month the thing happened; state figures (patients per condition, patients
whose last reading is controlled) as +1/-1 in the month their state changed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.stats.models import DrugMonth, FigureCount

# State figures: their value at a moment is the sum of their changes up to it.
PATIENTS = "patients"
BP_CONTROLLED = "bp_controlled"
GLUCOSE_CONTROLLED = "glucose_controlled"
CONDITION_PREFIX = "patients:"  # + condition category, e.g. patients:I10
# Open follow-ups by the month they are due: overdue ones are the months gone by plus this month's due so far.
OPEN_FOLLOW_UPS = "open_follow_ups_due"


def month_of(at: datetime) -> date:
    return date(at.year, at.month, 1)


def _insert(session: AsyncSession):
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def control_changed(session: AsyncSession, patient, *, measure: str, was: bool | None, now_: bool,
                          at: datetime) -> None:
    """The patient's last reading of ``measure`` changed its control state: count it for the condition."""
    category, name = ("I10", BP_CONTROLLED) if measure == "blood_pressure" else ("E11", GLUCOSE_CONTROLLED)
    if category in {c.category for c in patient.conditions}:
        await bump(session, station_id=patient.station_id, at=at, name=name, delta=int(now_) - int(bool(was)))


async def follow_up_due(session: AsyncSession, *, station_id: uuid.UUID, was: datetime | None,
                        now_: datetime | None) -> None:
    """An open follow-up appeared (``was`` None), went (``now_`` None) or moved to another due date."""
    if was is not None and now_ is not None and month_of(was) == month_of(now_):
        return
    if was is not None:
        await bump(session, station_id=station_id, at=was, name=OPEN_FOLLOW_UPS, delta=-1)
    if now_ is not None:
        await bump(session, station_id=station_id, at=now_, name=OPEN_FOLLOW_UPS, delta=1)


async def bump(session: AsyncSession, *, station_id: uuid.UUID, at: datetime, name: str, delta: int = 1) -> None:
    if not delta:
        return
    stmt = _insert(session)(FigureCount).values(station_id=station_id, month=month_of(at), name=name, value=delta)
    stmt = stmt.on_conflict_do_update(index_elements=["station_id", "month", "name"],
                                      set_={"value": FigureCount.value + stmt.excluded.value})
    await session.execute(stmt)


async def bump_drug(session: AsyncSession, *, station_id: uuid.UUID, at: datetime, drug_id: uuid.UUID,
                    out_of_catalogue: bool) -> None:
    stmt = _insert(session)(DrugMonth).values(station_id=station_id, month=month_of(at), drug_id=drug_id,
                                              dispensings=1, out_of_catalogue=int(out_of_catalogue))
    stmt = stmt.on_conflict_do_update(
        index_elements=["station_id", "month", "drug_id"],
        set_={"dispensings": DrugMonth.dispensings + 1,
              "out_of_catalogue": DrugMonth.out_of_catalogue + stmt.excluded.out_of_catalogue})
    await session.execute(stmt)


async def patient_in_counts(session: AsyncSession, patient, *, at: datetime, sign: int,
                            categories: set[str] | None = None) -> None:
    """Add (+1) or take out (-1) a patient's state figures: registered or left care (all of them), or some
    conditions gained or lost (``categories``)."""
    if categories is None:
        categories = {c.category for c in patient.conditions}
        await bump(session, station_id=patient.station_id, at=at, name=PATIENTS, delta=sign)
    for category in categories:
        await bump(session, station_id=patient.station_id, at=at, name=CONDITION_PREFIX + category, delta=sign)
    if "I10" in categories and patient.last_bp_controlled:
        await bump(session, station_id=patient.station_id, at=at, name=BP_CONTROLLED, delta=sign)
    if "E11" in categories and patient.last_glucose_controlled:
        await bump(session, station_id=patient.station_id, at=at, name=GLUCOSE_CONTROLLED, delta=sign)
