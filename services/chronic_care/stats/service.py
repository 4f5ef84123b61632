"""The service's figures for the district overview, without personal data.

Definitions (kept stable so that periods compare):
- dispensing_services: dispensings done (配药服务人次; a partial issue and its completion are two services);
- drug_kinds_dispensed: distinct drugs among them; new_out_of_catalogue_drugs: distinct drugs dispensed
  through an out-of-catalogue order (新增目录外药品); drugs_added_to_catalogue: such drugs a station then took
  into its own catalogue;
- bp_control_rate: hypertensive patients whose last blood pressure (by the period's end) is under 140/90, over
  all hypertensive patients (no reading counts as not controlled); glucose_control_rate likewise for type-2
  diabetes and the 2020 guideline targets;
- follow_ups_overdue: follow-ups due before the period's end (or now) and not done by then.
Periods on month boundaries (a year, whole months, all time) are read from month counters kept with every
change (``rollup``); other periods are computed from the records (``exact``), as are the two live figures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.followups.models import FollowUp
from services.chronic_care.patients.rules import DIABETES_T2, HYPERTENSION
from services.chronic_care.stations.models import Station
from services.chronic_care.stats import exact, rollup
from services.chronic_care.stock.models import StationDrug
from shared.areas import xiaoshan
from shared.errors import InvalidInput


def period_bounds(*, year: int | None, date_from: date | None, date_to: date | None) -> tuple[datetime | None,
                                                                                               datetime | None]:
    """[start, end) in UTC: a year, narrowed or set by inclusive dates."""
    start = datetime(year, 1, 1, tzinfo=UTC) if year else None
    end = datetime(year + 1, 1, 1, tzinfo=UTC) if year else None
    if date_from:
        start = max(start, _day(date_from)) if start else _day(date_from)
    if date_to:
        end = min(end, _day(date_to) + timedelta(days=1)) if end else _day(date_to) + timedelta(days=1)
    if start and end and start >= end:
        raise InvalidInput("date_to", "the period is empty: date_to must not be before date_from (or the year)")
    return start, end


def _day(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


async def _scope(session: AsyncSession, street_code: str | None, station_code: str | None) -> list[Row]:
    """The stations in scope as plain rows: loading them as objects also loaded their staff (``selectin``),
    a quarter of the overview's CPU for columns the figures never read."""
    if street_code and (problem := xiaoshan().check(street_code, level="street")):
        raise InvalidInput("street_code", problem)
    stmt = select(Station.id, Station.code, Station.name, Station.street_code).order_by(Station.code)
    if street_code:
        stmt = stmt.where(Station.street_code == street_code)
    if station_code:
        stmt = stmt.where(Station.code == station_code)
    stations = list(await session.execute(stmt))
    if station_code and not stations and not street_code:
        raise InvalidInput("station_code", "no station has this code")
    return stations


async def overview(session: AsyncSession, *, year: int | None, street_code: str | None, station_code: str | None,
                   date_from: date | None, date_to: date | None, now: datetime, exact_only: bool = False) -> dict:
    start, end = period_bounds(year=year, date_from=date_from, date_to=date_to)
    stations = await _scope(session, street_code, station_code)
    ids = [s.id for s in stations] if (street_code or station_code) else None
    use_rollup = rollup.aligned(start, end) and not exact_only
    if use_rollup:
        period, states, by_condition = await rollup.figures(session, station_ids=ids, start=start, end=end)
        per_station = await rollup.by_station(session, [s.id for s in stations], start, end)
    else:
        period, states, by_condition = await exact.figures(session, station_ids=ids, start=start, end=end, now=now)
        per_station = await exact.by_station(session, [s.id for s in stations], start, end)

    hypertension, diabetes = by_condition.get(HYPERTENSION, 0), by_condition.get(DIABETES_T2, 0)
    figures: dict[str, float | int] = {
        "patients_total": states["patients_total"], "patients_hypertension": hypertension,
        "patients_diabetes": diabetes,
        "bp_controlled": states["bp_controlled"], "bp_control_rate": _rate(states["bp_controlled"], hypertension),
        "glucose_controlled": states["glucose_controlled"],
        "glucose_control_rate": _rate(states["glucose_controlled"], diabetes),
        **period,
        "low_stock_items": await _low_stock(session, ids),
        "follow_ups_overdue": await _overdue(session, ids, start, min(end, now) if end else now, now, use_rollup),
    }
    return {
        "area": "chronic_care", "generated_at": now, "period": {"from": start, "to": end},
        "scope": {"street_code": street_code, "station_code": station_code},
        "figures": figures, "patients_by_condition": by_condition,
        "by_station": [{
            "station_code": s.code, "name": s.name, "street_code": s.street_code,
            "patients": per_station[s.id][0], "dispensing_services": per_station[s.id][1],
            "drug_kinds_dispensed": per_station[s.id][2], "new_out_of_catalogue_drugs": per_station[s.id][3],
        } for s in stations],
    }


async def _low_stock(session: AsyncSession, ids) -> int:
    """Catalogue drugs at or under their low-stock level, now (a live figure, whatever the period)."""
    return await exact.count(session, StationDrug, StationDrug.in_catalogue.is_(True),
                             StationDrug.stock_quantity <= StationDrug.low_stock_level,
                             *([StationDrug.station_id.in_(ids)] if ids is not None else []))


async def _overdue(session: AsyncSession, ids, start: datetime | None, as_of: datetime, now: datetime,
                   use_rollup: bool) -> int:
    f = FollowUp
    scope = [f.station_id.in_(ids)] if ids is not None else []
    if start is not None:
        scope.append(f.due_at >= start)
    if as_of >= now:  # the live list: open and due
        if use_rollup:  # months gone by from the counters, this month from the records (a short index range)
            this_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            earlier = await rollup.open_follow_ups_due_before(session, station_ids=ids, start=start, month=now)
            return earlier + await exact.count(session, f, f.status == "scheduled", f.due_at < now,
                                               f.due_at >= max(this_month, start) if start else f.due_at >= this_month,
                                               *([f.station_id.in_(ids)] if ids is not None else []))
        return await exact.count(session, f, f.status == "scheduled", f.due_at < as_of, *scope)
    return await exact.count(session, f, f.due_at < as_of, *scope,
                             or_(f.status == "scheduled", and_(f.status == "done", f.completed_at > as_of)))
