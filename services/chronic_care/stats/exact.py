"""The service's figures for the district overview: aggregate SQL only (no rows are loaded).

Definitions (kept stable so that periods compare):
- dispensing_services: dispensings done (配药服务人次; a partial issue and its completion are two services);
- drug_kinds_dispensed: distinct drugs among them; new_out_of_catalogue_drugs: distinct drugs dispensed
  through an out-of-catalogue order (新增目录外药品); drugs_added_to_catalogue: such drugs a station then took
  into its own catalogue;
- bp_control_rate: hypertensive patients whose last blood pressure (by the period's end) is under 140/90, over
  all hypertensive patients (no reading counts as not controlled); glucose_control_rate likewise for type-2
  diabetes and the 2020 guideline targets;
- follow_ups_overdue: follow-ups due before the period's end (or now) and not done by then.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, case, distinct, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.dispensing.models import Dispensation, Refill
from services.chronic_care.followups.models import FollowUp
from services.chronic_care.labs.models import LabTest
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.models import Patient, PatientCondition
from services.chronic_care.patients.rules import DIABETES_T2, HYPERTENSION
from services.chronic_care.referrals.models import Referral
from services.chronic_care.rehab.models import NursingPlan, NursingVisit
from services.chronic_care.stations.models import Station
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


def _in(column, start: datetime | None, end: datetime | None):
    clauses = [column.is_not(None)]
    if start is not None:
        clauses.append(column >= start)
    if end is not None:
        clauses.append(column < end)
    return and_(*clauses)


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


async def _scope(session: AsyncSession, street_code: str | None, station_code: str | None) -> list[Station]:
    if street_code and (problem := xiaoshan().check(street_code, level="street")):
        raise InvalidInput("street_code", problem)
    stmt = select(Station).order_by(Station.code)
    if street_code:
        stmt = stmt.where(Station.street_code == street_code)
    if station_code:
        stmt = stmt.where(Station.code == station_code)
    stations = list(await session.scalars(stmt))
    if station_code and not stations and not street_code:
        raise InvalidInput("station_code", "no station has this code")
    return stations


async def overview(session: AsyncSession, *, year: int | None, street_code: str | None, station_code: str | None,
                   date_from: date | None, date_to: date | None, now: datetime) -> dict:
    start, end = period_bounds(year=year, date_from=date_from, date_to=date_to)
    stations = await _scope(session, street_code, station_code)
    scoped = street_code is not None or station_code is not None
    ids = [s.id for s in stations]

    def where_station(column):
        return column.in_(ids) if scoped else true()

    as_of = min(end, now) if end else now
    figures: dict[str, float | int] = {}

    # Patients and conditions (registered by the period's end, still in care).
    patients_in_scope = and_(Patient.status == "active", where_station(Patient.station_id),
                             Patient.registered_at < end if end else true())
    by_condition = dict((await session.execute(
        select(PatientCondition.category, func.count(distinct(PatientCondition.patient_id)))
        .join(Patient, Patient.id == PatientCondition.patient_id).where(patients_in_scope)
        .group_by(PatientCondition.category))).all())
    figures["patients_total"] = await session.scalar(select(func.count()).select_from(Patient)
                                                     .where(patients_in_scope)) or 0
    figures["patients_hypertension"] = by_condition.get(HYPERTENSION, 0)
    figures["patients_diabetes"] = by_condition.get(DIABETES_T2, 0)

    for measure, category, key in (("blood_pressure", HYPERTENSION, "bp"), ("glucose", DIABETES_T2, "glucose")):
        controlled = await _controlled(session, measure=measure, category=category, scope=patients_in_scope,
                                       as_of=as_of, current=end is None or end > now)
        whole = figures["patients_hypertension" if key == "bp" else "patients_diabetes"]
        figures[f"{key}_controlled"] = controlled
        figures[f"{key}_control_rate"] = _rate(controlled, whole)

    # Dispensing without leaving the village.
    d = Dispensation
    row = (await session.execute(select(
        func.count(d.id), func.count(distinct(d.drug_id)),
        func.count(distinct(case((d.out_of_catalogue.is_(True), d.drug_id)))),
        func.count(case((d.partial.is_(True), d.id))),
    ).where(where_station(d.station_id), _in(d.dispensed_at, start, end)))).one()
    figures["dispensing_services"], figures["drug_kinds_dispensed"] = row[0], row[1]
    figures["new_out_of_catalogue_drugs"], figures["partial_dispensings"] = row[2], row[3]
    figures["out_of_catalogue_orders"] = await _count(session, Refill, Refill.path == "out_of_catalogue",
                                                      where_station(Refill.station_id),
                                                      _in(Refill.requested_at, start, end))
    figures["drugs_added_to_catalogue"] = await _count(
        session, StationDrug, StationDrug.catalogued_via == "out_of_catalogue_order",
        where_station(StationDrug.station_id), _in(StationDrug.catalogued_at, start, end))
    figures["low_stock_items"] = await _count(
        session, StationDrug, StationDrug.in_catalogue.is_(True), where_station(StationDrug.station_id),
        StationDrug.stock_quantity <= StationDrug.low_stock_level)

    # Monitoring, tests, referrals, nursing.
    r = Reading
    row = (await session.execute(select(
        func.count(r.id), func.count(case((r.flagged.is_(True), r.id))),
        func.count(case((r.grade == "critical", r.id))),
    ).where(where_station(r.station_id), _in(r.measured_at, start, end)))).one()
    figures["readings"], figures["flagged_readings"], figures["critical_readings"] = row
    figures["lab_tests_resulted"] = await _count(session, LabTest, where_station(LabTest.station_id),
                                                 _in(LabTest.resulted_at, start, end))
    figures["referrals_requested"] = await _count(session, Referral, where_station(Referral.station_id),
                                                  _in(Referral.requested_at, start, end))
    figures["referrals_admitted"] = await _count(session, Referral, where_station(Referral.station_id),
                                                 _in(Referral.admitted_at, start, end))
    figures["nursing_visits"] = await session.scalar(
        select(func.count(NursingVisit.id)).join(NursingPlan, NursingPlan.id == NursingVisit.plan_id)
        .where(where_station(NursingPlan.station_id), _in(NursingVisit.visited_at, start, end))) or 0

    # Follow-ups.
    f = FollowUp
    figures["follow_ups_done"] = await _count(session, f, f.status == "done", where_station(f.station_id),
                                              _in(f.completed_at, start, end))
    figures["follow_ups_overdue"] = await _count(
        session, f, where_station(f.station_id), f.due_at < as_of, *([f.due_at >= start] if start else []),
        or_(f.status == "scheduled", and_(f.status == "done", f.completed_at > as_of)))

    return {
        "area": "chronic_care", "generated_at": now, "period": {"from": start, "to": end},
        "scope": {"street_code": street_code, "station_code": station_code},
        "figures": figures, "patients_by_condition": by_condition,
        "by_station": await _by_station(session, stations, start, end),
    }


async def _count(session: AsyncSession, model, *where) -> int:
    return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def _controlled(session: AsyncSession, *, measure: str, category: str, scope, as_of: datetime,
                      current: bool) -> int:
    """Patients of ``category`` whose last reading of ``measure`` by ``as_of`` was controlled."""
    of_category = Patient.id.in_(select(PatientCondition.patient_id).where(PatientCondition.category == category))
    if current:  # the summary kept on the patient is the answer
        column = Patient.last_bp_controlled if measure == "blood_pressure" else Patient.last_glucose_controlled
        return await _count(session, Patient, scope, of_category, column.is_(True))
    last = (select(Reading.patient_id, func.max(Reading.measured_at).label("at"))
            .join(Patient, Patient.id == Reading.patient_id)
            .where(Reading.measure == measure, Reading.measured_at < as_of, scope, of_category)
            .group_by(Reading.patient_id).subquery())
    stmt = (select(func.count(distinct(Reading.patient_id)))
            .join(last, and_(last.c.patient_id == Reading.patient_id, last.c.at == Reading.measured_at))
            .where(Reading.measure == measure, Reading.controlled.is_(True)))
    return await session.scalar(stmt) or 0


async def _by_station(session: AsyncSession, stations: list[Station], start, end) -> list[dict]:
    ids: list[uuid.UUID] = [s.id for s in stations]
    if not ids:
        return []
    patients = dict((await session.execute(
        select(Patient.station_id, func.count(Patient.id))
        .where(Patient.station_id.in_(ids), Patient.status == "active",
               Patient.registered_at < end if end else true())
        .group_by(Patient.station_id))).all())
    d = Dispensation
    dispensing = {row[0]: row[1:] for row in (await session.execute(
        select(d.station_id, func.count(d.id), func.count(distinct(d.drug_id)),
               func.count(distinct(case((d.out_of_catalogue.is_(True), d.drug_id)))))
        .where(d.station_id.in_(ids), _in(d.dispensed_at, start, end)).group_by(d.station_id))).all()}
    return [{
        "station_code": s.code, "name": s.name, "street_code": s.street_code, "patients": patients.get(s.id, 0),
        "dispensing_services": dispensing.get(s.id, (0, 0, 0))[0],
        "drug_kinds_dispensed": dispensing.get(s.id, (0, 0, 0))[1],
        "new_out_of_catalogue_drugs": dispensing.get(s.id, (0, 0, 0))[2],
    } for s in stations]
