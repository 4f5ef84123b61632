"""Recording readings: grade against the thresholds in force, keep the patient's summary current, flag what is
out of range (one ``chronic_care.reading.flagged`` event, in the same transaction) and propose a referral for a
critical one."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.db import outbox
from services.chronic_care.deps import READINGS_SCOPE
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.monitoring.rules import alerts, implausible
from services.chronic_care.monitoring.schemas import ReadingCreate
from services.chronic_care.patients.access import is_care_staff, is_self, visible_patient_ids
from services.chronic_care.patients.consent import ensure_consent
from services.chronic_care.patients.models import Patient
from services.chronic_care.patients.rules import GRADE_RANK
from services.chronic_care.referrals import service as referrals
from services.chronic_care.stations.models import Station
from services.chronic_care.stats import counters
from services.chronic_care.thresholds.rules import (
    Assessment,
    bp_controlled,
    glucose_controlled,
    grade_blood_pressure,
    grade_glucose,
    worst,
)
from services.chronic_care.thresholds.service import thresholds_for
from services.chronic_care.timeline import service as timeline
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.events.contracts.chronic_care import ReadingFlaggedV1
from shared.pagination import paginate


async def _source(session: AsyncSession, principal: Principal, patient: Patient) -> str:
    """Who may post a reading, and as what: care staff, the patient's own device, or an integration."""
    if await is_care_staff(session, principal, patient):
        return "staff"
    if is_self(principal, patient):
        return "device"
    if principal.has_role("integration") and principal.has_scope(READINGS_SCOPE):
        return "integration"
    raise Forbidden("readings are posted by the patient's care staff, the patient, or an authorised integration")


def _same(reading: Reading, data: ReadingCreate) -> bool:
    return (reading.patient_id, reading.measure, reading.systolic, reading.diastolic, reading.glucose_mmol) == (
        data.patient_id, data.measure, data.systolic, data.diastolic, data.glucose_mmol)


async def _assess(session: AsyncSession, patient: Patient, data: ReadingCreate) -> tuple[Assessment, bool]:
    categories = {c.category for c in patient.conditions}
    sets = await thresholds_for(session, categories, data.measure)
    if data.measure == "blood_pressure":
        return (worst([grade_blood_pressure(data.systolic, data.diastolic, t) for t in sets]),
                bp_controlled(data.systolic, data.diastolic))
    return (worst([grade_glucose(data.glucose_mmol, data.glucose_context, t) for t in sets]),
            glucose_controlled(data.glucose_mmol, data.glucose_context))


def _summary(data: ReadingCreate, grade: str) -> str:
    if data.measure == "blood_pressure":
        return f"Blood pressure {data.systolic}/{data.diastolic} mmHg ({grade})"
    return f"Glucose {data.glucose_mmol} mmol/L, {data.glucose_context} ({grade})"


async def _update_summary(session: AsyncSession, patient: Patient, reading: Reading) -> None:
    at = reading.measured_at
    for name, counted in (("readings", True), ("flagged_readings", reading.flagged),
                          ("critical_readings", reading.grade == "critical")):
        if counted:
            await counters.bump(session, station_id=patient.station_id, at=at, name=name)
    if patient.last_reading_at is None or at >= patient.last_reading_at:
        patient.last_reading_at, patient.last_grade = at, reading.grade
        patient.last_grade_rank = GRADE_RANK[reading.grade]
    if reading.measure == "blood_pressure" and (patient.last_bp_at is None or at >= patient.last_bp_at):
        await counters.control_changed(session, patient, measure=reading.measure, was=patient.last_bp_controlled,
                                       now_=reading.controlled, at=at)
        patient.last_bp_at, patient.last_bp_controlled = at, reading.controlled
    if reading.measure == "glucose" and (patient.last_glucose_at is None or at >= patient.last_glucose_at):
        await counters.control_changed(session, patient, measure=reading.measure,
                                       was=patient.last_glucose_controlled, now_=reading.controlled, at=at)
        patient.last_glucose_at, patient.last_glucose_controlled = at, reading.controlled


async def record_reading(session: AsyncSession, *, principal: Principal, data: ReadingCreate, now: datetime,
                         idempotency_key: str | None = None) -> tuple[Reading, bool]:
    """Returns (reading, created); a retried request with the same Idempotency-Key returns the first reading."""
    problem = implausible(data.measure, systolic=data.systolic, diastolic=data.diastolic,
                          glucose_mmol=data.glucose_mmol, glucose_context=data.glucose_context,
                          measured_at=data.measured_at, now=now)
    if problem:
        raise InvalidInput(*problem)
    # Locked: readings of one patient arriving together must not lose each other's summary update.
    patient = await session.get(Patient, data.patient_id, with_for_update=True)
    if patient is None:
        raise NotFound(f"patient {data.patient_id} not found")
    source = await _source(session, principal, patient)
    if idempotency_key:
        earlier = await session.scalar(select(Reading).where(Reading.recorded_by == principal.subject,
                                                             Reading.idempotency_key == idempotency_key))
        if earlier is not None:
            if not _same(earlier, data):
                raise Conflict("this Idempotency-Key was used for a different reading")
            return earlier, False
    # From staff, the patient's device or an integration alike: without consent the reading is not stored.
    await ensure_consent(session, patient, what="a reading")
    if patient.status != "active":
        raise Conflict("this patient is no longer in care here")
    assessment, controlled = await _assess(session, patient, data)
    measured_at = data.measured_at or now
    async with unit_of_work(session):
        reading = Reading(
            id=uuid.uuid4(), patient_id=patient.id, station_id=patient.station_id, measure=data.measure,
            systolic=data.systolic, diastolic=data.diastolic, pulse=data.pulse, glucose_mmol=data.glucose_mmol,
            glucose_context=data.glucose_context, measured_at=measured_at, source=source,
            recorded_by=principal.subject, idempotency_key=idempotency_key, grade=assessment.grade,
            direction=assessment.direction, controlled=controlled, flagged=assessment.flagged,
        )
        session.add(reading)
        await _update_summary(session, patient, reading)
        await timeline.record(session, patient_id=patient.id, kind="reading", ref_id=reading.id,
                              summary=_summary(data, assessment.grade), at=measured_at)
        if assessment.flagged and alerts(measured_at, now):
            await _flag(session, patient, reading, assessment, principal.subject, now)
    return reading, True


async def _flag(session: AsyncSession, patient: Patient, reading: Reading, assessment: Assessment, by: str,
                now: datetime) -> None:
    critical = assessment.grade == "critical"
    if critical:
        referral = await referrals.propose(session, patient=patient, reading_id=reading.id, by=by, at=now)
        reading.referral_id = referral.id
    station = await session.get(Station, patient.station_id)
    envelope = await outbox.add(session, ReadingFlaggedV1(
        reading_id=reading.id, person_ref=patient.person_ref, severity=assessment.grade,
        station_code=station.code if station else None, street_code=patient.street_code,
        community_code=patient.community_code, proposes_referral=critical, flagged_at=now,
    ))
    # Kept so that community's "visit completed" (which names this event) lands on the right reading.
    reading.flag_event_id = envelope.id


async def list_readings(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID | None,
                        station_id: uuid.UUID | None, measure: str | None, flagged: bool | None, limit: int,
                        cursor: str | None):
    stmt = select(Reading).where(Reading.patient_id.in_(await visible_patient_ids(session, principal)))
    if patient_id:
        stmt = stmt.where(Reading.patient_id == patient_id)
    if station_id:
        stmt = stmt.where(Reading.station_id == station_id)
    if measure:
        stmt = stmt.where(Reading.measure == measure)
    if flagged is not None:
        stmt = stmt.where(Reading.flagged.is_(flagged))
    return await paginate(session, stmt, sort_column=Reading.measured_at, id_column=Reading.id, limit=limit,
                          cursor=cursor, descending=True)


async def get_reading(session: AsyncSession, *, principal: Principal, reading_id: uuid.UUID) -> Reading:
    reading = await session.scalar(select(Reading).where(
        Reading.id == reading_id, Reading.patient_id.in_(await visible_patient_ids(session, principal))))
    if reading is None:
        raise NotFound(f"reading {reading_id} not found")
    return reading
