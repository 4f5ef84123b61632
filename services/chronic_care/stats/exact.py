"""Figures computed from the clinical tables themselves: the reference the month counters must agree with, and
the path for periods that do not start and end on month boundaries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.dispensing.models import Dispensation, Refill
from services.chronic_care.followups.models import FollowUp
from services.chronic_care.labs.models import LabTest
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.models import Patient, PatientCondition
from services.chronic_care.patients.rules import DIABETES_T2, HYPERTENSION
from services.chronic_care.referrals.models import Referral
from services.chronic_care.rehab.models import NursingPlan, NursingVisit
from services.chronic_care.stock.models import StationDrug


def within(column, start: datetime | None, end: datetime | None):
    clauses = [column.is_not(None)]
    if start is not None:
        clauses.append(column >= start)
    if end is not None:
        clauses.append(column < end)
    return and_(*clauses)


async def count(session: AsyncSession, model, *where) -> int:
    return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


async def figures(session: AsyncSession, *, station_ids: list[uuid.UUID] | None, start: datetime | None,
                  end: datetime | None, now: datetime) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(period figures, state figures at the period's end, patients by condition)."""
    def scoped(column):
        return column.in_(station_ids) if station_ids is not None else true()

    out: dict[str, int] = {}
    d = Dispensation
    row = (await session.execute(select(
        func.count(d.id), func.count(distinct(d.drug_id)),
        func.count(distinct(case((d.out_of_catalogue.is_(True), d.drug_id)))),
        func.count(case((d.partial.is_(True), d.id))),
    ).where(scoped(d.station_id), within(d.dispensed_at, start, end)))).one()
    out["dispensing_services"], out["drug_kinds_dispensed"] = row[0], row[1]
    out["new_out_of_catalogue_drugs"], out["partial_dispensings"] = row[2], row[3]
    out["out_of_catalogue_orders"] = await count(session, Refill, Refill.path == "out_of_catalogue",
                                                 scoped(Refill.station_id), within(Refill.requested_at, start, end))
    out["drugs_added_to_catalogue"] = await count(
        session, StationDrug, StationDrug.catalogued_via == "out_of_catalogue_order",
        scoped(StationDrug.station_id), within(StationDrug.catalogued_at, start, end))
    r = Reading
    row = (await session.execute(select(
        func.count(r.id), func.count(case((r.flagged.is_(True), r.id))),
        func.count(case((r.grade == "critical", r.id))),
    ).where(scoped(r.station_id), within(r.measured_at, start, end)))).one()
    out["readings"], out["flagged_readings"], out["critical_readings"] = row
    out["lab_tests_resulted"] = await count(session, LabTest, scoped(LabTest.station_id),
                                            within(LabTest.resulted_at, start, end))
    out["referrals_requested"] = await count(session, Referral, scoped(Referral.station_id),
                                             within(Referral.requested_at, start, end))
    out["referrals_admitted"] = await count(session, Referral, scoped(Referral.station_id),
                                            within(Referral.admitted_at, start, end))
    out["nursing_visits"] = await session.scalar(
        select(func.count(NursingVisit.id)).join(NursingPlan, NursingPlan.id == NursingVisit.plan_id)
        .where(scoped(NursingPlan.station_id), within(NursingVisit.visited_at, start, end))) or 0
    out["follow_ups_done"] = await count(session, FollowUp, FollowUp.status == "done", scoped(FollowUp.station_id),
                                         within(FollowUp.completed_at, start, end))

    in_care = and_(Patient.status == "active", scoped(Patient.station_id),
                   Patient.registered_at < end if end else true())
    by_condition = dict((await session.execute(
        select(PatientCondition.category, func.count(distinct(PatientCondition.patient_id)))
        .join(Patient, Patient.id == PatientCondition.patient_id).where(in_care)
        .group_by(PatientCondition.category))).all())
    as_of = min(end, now) if end else now
    current = end is None or end > now
    states = {
        "patients_total": await count(session, Patient, in_care),
        "bp_controlled": await _controlled(session, "blood_pressure", HYPERTENSION, in_care, as_of, current),
        "glucose_controlled": await _controlled(session, "glucose", DIABETES_T2, in_care, as_of, current),
    }
    return out, states, by_condition


async def _controlled(session: AsyncSession, measure: str, category: str, scope, as_of: datetime,
                      current: bool) -> int:
    """Patients of ``category`` whose last reading of ``measure`` by ``as_of`` was controlled."""
    of_category = Patient.id.in_(select(PatientCondition.patient_id).where(PatientCondition.category == category))
    if current:  # the summary kept on the patient is the answer
        column = Patient.last_bp_controlled if measure == "blood_pressure" else Patient.last_glucose_controlled
        return await count(session, Patient, scope, of_category, column.is_(True))
    last = (select(Reading.patient_id, func.max(Reading.measured_at).label("at"))
            .join(Patient, Patient.id == Reading.patient_id)
            .where(Reading.measure == measure, Reading.measured_at < as_of, scope, of_category)
            .group_by(Reading.patient_id).subquery())
    stmt = (select(func.count(distinct(Reading.patient_id)))
            .join(last, and_(last.c.patient_id == Reading.patient_id, last.c.at == Reading.measured_at))
            .where(Reading.measure == measure, Reading.controlled.is_(True)))
    return await session.scalar(stmt) or 0


async def by_station(session: AsyncSession, station_ids: list[uuid.UUID], start: datetime | None,
                     end: datetime | None) -> dict[uuid.UUID, tuple[int, int, int, int]]:
    """station -> (patients, dispensing services, drug kinds, new out-of-catalogue drugs)."""
    patients = dict((await session.execute(
        select(Patient.station_id, func.count(Patient.id))
        .where(Patient.station_id.in_(station_ids), Patient.status == "active",
               Patient.registered_at < end if end else true())
        .group_by(Patient.station_id))).all())
    d = Dispensation
    dispensing = {row[0]: row[1:] for row in (await session.execute(
        select(d.station_id, func.count(d.id), func.count(distinct(d.drug_id)),
               func.count(distinct(case((d.out_of_catalogue.is_(True), d.drug_id)))))
        .where(d.station_id.in_(station_ids), within(d.dispensed_at, start, end)).group_by(d.station_id))).all()}
    return {sid: (patients.get(sid, 0), *dispensing.get(sid, (0, 0, 0))) for sid in station_ids}
