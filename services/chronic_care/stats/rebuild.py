"""Recompute the month counters from the records: after a bulk load (the demo) or to repair counters.
Follows the same rules as the use cases that keep them (``counters``)."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.dispensing.models import Dispensation, Refill
from services.chronic_care.followups.models import FollowUp
from services.chronic_care.labs.models import LabTest
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.models import Patient, PatientCondition
from services.chronic_care.referrals.models import Referral
from services.chronic_care.rehab.models import NursingPlan, NursingVisit
from services.chronic_care.stats.counters import (
    BP_CONTROLLED,
    CONDITION_PREFIX,
    GLUCOSE_CONTROLLED,
    OPEN_FOLLOW_UPS,
    PATIENTS,
    month_of,
)
from services.chronic_care.stats.models import DrugMonth, FigureCount
from services.chronic_care.stock.models import StationDrug


async def rebuild_counters(session: AsyncSession) -> None:
    """Replace every counter (inside the caller's transaction)."""
    counts: Counter = Counter()

    async def tally(name: str, stmt) -> None:
        for station_id, at in (await session.execute(stmt)).all():
            if at is not None:
                counts[(station_id, month_of(at), name)] += 1

    d, r, f = Dispensation, Reading, FollowUp
    await tally("dispensing_services", select(d.station_id, d.dispensed_at))
    await tally("partial_dispensings", select(d.station_id, d.dispensed_at).where(d.partial.is_(True)))
    await tally("out_of_catalogue_orders",
                select(Refill.station_id, Refill.requested_at).where(Refill.path == "out_of_catalogue"))
    await tally("drugs_added_to_catalogue", select(StationDrug.station_id, StationDrug.catalogued_at)
                .where(StationDrug.catalogued_via == "out_of_catalogue_order"))
    await tally("readings", select(r.station_id, r.measured_at))
    await tally("flagged_readings", select(r.station_id, r.measured_at).where(r.flagged.is_(True)))
    await tally("critical_readings", select(r.station_id, r.measured_at).where(r.grade == "critical"))
    await tally("lab_tests_resulted", select(LabTest.station_id, LabTest.resulted_at))
    await tally("referrals_requested", select(Referral.station_id, Referral.requested_at))
    await tally("referrals_admitted", select(Referral.station_id, Referral.admitted_at))
    await tally("nursing_visits", select(NursingPlan.station_id, NursingVisit.visited_at)
                .join(NursingPlan, NursingPlan.id == NursingVisit.plan_id))
    await tally("follow_ups_done", select(f.station_id, f.completed_at).where(f.status == "done"))
    await tally(OPEN_FOLLOW_UPS, select(f.station_id, f.due_at).where(f.status == "scheduled"))

    # State figures of the patients in care: in at registration; control changes as their readings came.
    categories: dict = defaultdict(set)
    for patient_id, category in (await session.execute(
            select(PatientCondition.patient_id, PatientCondition.category))).all():
        categories[patient_id].add(category)
    active = {}
    for patient_id, station_id, registered_at in (await session.execute(
            select(Patient.id, Patient.station_id, Patient.registered_at).where(Patient.status == "active"))).all():
        active[patient_id] = station_id
        counts[(station_id, month_of(registered_at), PATIENTS)] += 1
        for category in categories[patient_id]:
            counts[(station_id, month_of(registered_at), CONDITION_PREFIX + category)] += 1
    previous: dict = {}
    for patient_id, measure, at, controlled in (await session.execute(
            select(r.patient_id, r.measure, r.measured_at, r.controlled).order_by(r.patient_id, r.measured_at))).all():
        needed, name = ("I10", BP_CONTROLLED) if measure == "blood_pressure" else ("E11", GLUCOSE_CONTROLLED)
        if patient_id not in active or needed not in categories[patient_id]:
            continue
        delta = int(controlled) - int(previous.get((patient_id, measure), False))
        previous[(patient_id, measure)] = controlled
        if delta:
            counts[(active[patient_id], month_of(at), name)] += delta

    drugs: Counter = Counter()
    for station_id, at, drug_id, ooc in (await session.execute(
            select(d.station_id, d.dispensed_at, d.drug_id, d.out_of_catalogue))).all():
        drugs[(station_id, month_of(at), drug_id, "all")] += 1
        drugs[(station_id, month_of(at), drug_id, "ooc")] += int(ooc)

    await session.execute(delete(FigureCount))
    await session.execute(delete(DrugMonth))
    rows = [{"station_id": s, "month": m, "name": n, "value": v} for (s, m, n), v in counts.items() if v]
    for start in range(0, len(rows), 1000):
        await session.execute(insert(FigureCount), rows[start:start + 1000])
    months = [{"station_id": s, "month": m, "drug_id": g, "dispensings": v,
               "out_of_catalogue": drugs[(s, m, g, "ooc")]} for (s, m, g, kind), v in drugs.items() if kind == "all"]
    for start in range(0, len(months), 1000):
        await session.execute(insert(DrugMonth), months[start:start + 1000])
