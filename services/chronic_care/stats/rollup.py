"""Figures from the month counters (``FigureCount``, ``DrugMonth``): a handful of small aggregates, whatever the
size of the clinical tables. Used for every period that starts and ends on month boundaries."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import case, distinct, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.stats.counters import (
    BP_CONTROLLED,
    CONDITION_PREFIX,
    GLUCOSE_CONTROLLED,
    OPEN_FOLLOW_UPS,
    PATIENTS,
    month_of,
)
from services.chronic_care.stats.models import DrugMonth, FigureCount

PERIOD_FIGURES = ("dispensing_services", "partial_dispensings", "out_of_catalogue_orders", "drugs_added_to_catalogue",
                  "readings", "flagged_readings", "critical_readings", "lab_tests_resulted", "referrals_requested",
                  "referrals_admitted", "nursing_visits", "follow_ups_done")


def aligned(start: datetime | None, end: datetime | None) -> bool:
    return all(t is None or (t.day == 1 and t.time() == datetime.min.time()) for t in (start, end))


def _months(column, start: datetime | None, end: datetime | None):
    clauses = [true()]
    if start is not None:
        clauses.append(column >= month_of(start))
    if end is not None:
        clauses.append(column < date(end.year, end.month, 1))
    return clauses


async def figures(session: AsyncSession, *, station_ids: list[uuid.UUID] | None, start: datetime | None,
                  end: datetime | None) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(period figures, state figures at the period's end, patients by condition)."""
    fc = FigureCount
    scope = fc.station_id.in_(station_ids) if station_ids is not None else true()
    period = dict((await session.execute(
        select(fc.name, func.sum(fc.value)).where(scope, fc.name.in_(PERIOD_FIGURES), *_months(fc.month, start, end))
        .group_by(fc.name))).all())
    state = dict((await session.execute(
        select(fc.name, func.sum(fc.value))
        .where(scope, fc.name.not_in((*PERIOD_FIGURES, OPEN_FOLLOW_UPS)), *_months(fc.month, None, end))
        .group_by(fc.name))).all())
    out = {name: int(period.get(name) or 0) for name in PERIOD_FIGURES}
    dm = DrugMonth
    drug_scope = dm.station_id.in_(station_ids) if station_ids is not None else true()
    kinds, new = (await session.execute(
        select(func.count(distinct(dm.drug_id)), func.count(distinct(case((dm.out_of_catalogue > 0, dm.drug_id)))))
        .where(drug_scope, *_months(dm.month, start, end)))).one()
    out["drug_kinds_dispensed"], out["new_out_of_catalogue_drugs"] = kinds, new
    by_condition = {name[len(CONDITION_PREFIX):]: int(v) for name, v in state.items()
                    if name.startswith(CONDITION_PREFIX) and v}
    states = {"patients_total": int(state.get(PATIENTS) or 0), "bp_controlled": int(state.get(BP_CONTROLLED) or 0),
              "glucose_controlled": int(state.get(GLUCOSE_CONTROLLED) or 0)}
    return out, states, by_condition


async def open_follow_ups_due_before(session: AsyncSession, *, station_ids: list[uuid.UUID] | None,
                                     start: datetime | None, month: datetime) -> int:
    """Open follow-ups due in the months from ``start`` up to (not including) the month of ``month``."""
    fc = FigureCount
    scope = fc.station_id.in_(station_ids) if station_ids is not None else true()
    total = await session.scalar(select(func.sum(fc.value)).where(
        scope, fc.name == OPEN_FOLLOW_UPS, *_months(fc.month, start, month.replace(day=1, hour=0, minute=0,
                                                                                    second=0, microsecond=0))))
    return int(total or 0)


async def by_station(session: AsyncSession, station_ids: list[uuid.UUID], start: datetime | None,
                     end: datetime | None) -> dict[uuid.UUID, tuple[int, int, int, int]]:
    """station -> (patients, dispensing services, drug kinds, new out-of-catalogue drugs)."""
    fc, dm = FigureCount, DrugMonth
    patients = dict((await session.execute(
        select(fc.station_id, func.sum(fc.value))
        .where(fc.station_id.in_(station_ids), fc.name == PATIENTS, *_months(fc.month, None, end))
        .group_by(fc.station_id))).all())
    services = dict((await session.execute(
        select(fc.station_id, func.sum(fc.value))
        .where(fc.station_id.in_(station_ids), fc.name == "dispensing_services", *_months(fc.month, start, end))
        .group_by(fc.station_id))).all())
    drugs = {row[0]: row[1:] for row in (await session.execute(
        select(dm.station_id, func.count(distinct(dm.drug_id)),
               func.count(distinct(case((dm.out_of_catalogue > 0, dm.drug_id)))))
        .where(dm.station_id.in_(station_ids), *_months(dm.month, start, end)).group_by(dm.station_id))).all()}
    return {sid: (int(patients.get(sid) or 0), int(services.get(sid) or 0), *drugs.get(sid, (0, 0)))
            for sid in station_ids}
