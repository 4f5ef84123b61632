"""Use cases of patients: registration, changes, lists limited to what the caller may read."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.db import AuditEntry
from services.chronic_care.followups import service as followups
from services.chronic_care.patients import consent
from services.chronic_care.patients.access import care_patient, readable_patient, visible_patients_clause
from services.chronic_care.patients.models import Patient, PatientCondition, PatientFlag
from services.chronic_care.patients.rules import KNOWN_CONDITIONS, category, sex_from_id_number
from services.chronic_care.patients.schemas import ConditionIn, PatientCreate, PatientRead, PatientUpdate
from services.chronic_care.stations.service import get_station, stations_of
from services.chronic_care.stats import counters
from services.chronic_care.timeline import service as timeline
from shared.areas import xiaoshan
from shared.audit import record_access, record_read
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, Forbidden, InvalidInput
from shared.identity import InvalidIdNumber, birth_date_of, normalise_id_number, person_ref
from shared.pagination import paginate
from shared.reveal import RevealRequest, RevealResponse, masked_fields, reveal


def _conditions(items: list[ConditionIn]) -> list[PatientCondition]:
    codes = [c.code for c in items]
    if len(set(codes)) != len(codes):
        raise InvalidInput("conditions", "a condition is listed twice")
    return [PatientCondition(code=c.code, category=category(c.code), diagnosed_on=c.diagnosed_on) for c in items]


async def register_patient(session: AsyncSession, *, principal: Principal, data: PatientCreate, ref_key: str,
                           now: datetime) -> Patient:
    try:
        id_number = normalise_id_number(data.id_number)
    except InvalidIdNumber as exc:
        raise InvalidInput("id_number", str(exc)) from exc
    station = await get_station(session, station_id=data.station_id)
    if data.station_id not in await stations_of(session, principal.subject):
        raise Forbidden("patients are registered by the staff of their station")
    street_code = data.street_code or station.street_code
    community_code = data.community_code or (station.community_code if not data.street_code else None)
    problem = xiaoshan().check(street_code, level="street")
    if problem:
        raise InvalidInput("street_code", problem)
    if community_code and (problem := xiaoshan().check(community_code, level="community", within=street_code)):
        raise InvalidInput("community_code", problem)
    conditions = _conditions(data.conditions)
    ref = person_ref(id_number, ref_key)
    async with unit_of_work(session):
        if await session.scalar(select(Patient.id).where(Patient.person_ref == ref)):
            raise Conflict("this person is already registered as a patient")
        if not await consent.consent_in_force(session, ref):
            if not data.health_data_consent:
                raise InvalidInput("health_data_consent", "the signed consent to process the patient's health data "
                                   "is required: confirm it (true) or record it first at /consents")
            guardian_ref = _guardian_ref(data, id_number, ref_key, now)
            session.add(consent.grant(ref, by=principal, at=now, guardian_ref=guardian_ref))
            await record_access(session, AuditEntry, principal=principal, action="consent", resource_type="consent",
                                person_ref=ref, reason="grant health_data (signed form, at registration)")
        patient = Patient(
            person_ref=ref, id_number=id_number, name=data.name.strip(), phone=data.phone,
            sex=sex_from_id_number(id_number), birth_date=birth_date_of(id_number), station_id=station.id,
            family_doctor=data.family_doctor or principal.subject, street_code=street_code,
            community_code=community_code, status="active", registered_at=now, conditions=conditions,
        )
        session.add(patient)
        await session.flush()
        await counters.patient_in_counts(session, patient, at=now, sign=1)
        await followups.schedule_next(session, patient=patient, after=now, reason="routine")
        await record_access(session, AuditEntry, principal=principal, action="create", resource_type="patient",
                            resource_id=patient.id, person_ref=ref)
        names = ", ".join(KNOWN_CONDITIONS.get(c.category, c.code) for c in conditions)
        await timeline.record(session, patient_id=patient.id, kind="registered", ref_id=patient.id,
                              summary=f"Registered at {station.name}: {names}", at=now)
    return patient


def _guardian_ref(data: PatientCreate, id_number: str, ref_key: str, now: datetime) -> str | None:
    """The guardian who signed for a child under 14 (their person_ref); None for an adult patient."""
    if not consent.needs_guardian(birth_date_of(id_number), now.date()):
        return None
    if not data.guardian_id_number:
        raise InvalidInput("guardian_id_number", "the patient is under 14: the parent or guardian signs the consent; "
                           "give their ID number")
    try:
        guardian = normalise_id_number(data.guardian_id_number)
    except InvalidIdNumber as exc:
        raise InvalidInput("guardian_id_number", str(exc)) from exc
    if guardian == id_number or consent.needs_guardian(birth_date_of(guardian), now.date()):
        raise InvalidInput("guardian_id_number", "the guardian is someone other than the patient, 14 or older")
    return person_ref(guardian, ref_key)


async def update_patient(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID,
                         data: PatientUpdate, now: datetime) -> Patient:
    patient = await care_patient(session, principal, patient_id)
    if data.conditions is not None:
        await consent.ensure_consent(session, patient, what="a change of diagnosis")
    async with unit_of_work(session):
        await record_access(session, AuditEntry, principal=principal, action="update", resource_type="patient",
                            resource_id=patient.id, person_ref=patient.person_ref,
                            fields=sorted(data.model_dump(exclude_none=True)))
        if data.phone is not None:
            patient.phone = data.phone
        if data.family_doctor is not None:
            patient.family_doctor = data.family_doctor
        if data.conditions is not None:
            before = {c.category for c in patient.conditions}
            patient.conditions = _conditions(data.conditions)
            await session.flush()
            after = {c.category for c in patient.conditions}
            if patient.status == "active":
                await counters.patient_in_counts(session, patient, at=now, sign=-1, categories=before - after)
                await counters.patient_in_counts(session, patient, at=now, sign=1, categories=after - before)
            # The schedule follows the conditions: a new diagnosis can tighten it.
            await followups.reschedule_open(session, patient=patient, now=now)
    await session.refresh(patient, ["conditions"])
    return patient


async def list_patients(session: AsyncSession, *, principal: Principal, station_id: uuid.UUID | None,
                        condition: str | None, flagged: bool | None, limit: int,
                        cursor: str | None) -> tuple[list[Patient], str | None]:
    clause = await visible_patients_clause(session, principal)
    if clause is None:
        raise Forbidden("only patients and their care staff may read patient records")
    stmt = select(Patient).where(clause)
    if station_id:
        stmt = stmt.where(Patient.station_id == station_id)
    if condition:
        stmt = stmt.where(Patient.id.in_(select(PatientCondition.patient_id).where(
            PatientCondition.category == category(condition.upper()))))
    if flagged is not None:
        stmt = stmt.where(Patient.flagged_since.is_not(None) if flagged else Patient.flagged_since.is_(None))
    return await paginate(session, stmt, sort_column=Patient.registered_at, id_column=Patient.id, limit=limit,
                          cursor=cursor)


async def read_patient(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID, what: str,
                       endpoint: str) -> Patient:
    """A patient's record (or timeline) for the patient or their care staff; the read is audited."""
    patient = await readable_patient(session, principal, patient_id)
    await record_read(session, AuditEntry, principal=principal, action="read", resource_type=what,
                      resource_id=patient.id, person_ref=patient.person_ref, endpoint=endpoint)
    return patient


def masked(patient: Patient) -> dict:
    """The patient as every reader sees them: ID number and phone masked (``reveal`` shows one, audited)."""
    return masked_fields(PatientRead.model_validate(patient).model_dump())


async def reveal_field(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID, request: RevealRequest,
                       endpoint: str) -> RevealResponse:
    """One field in full for the patient or their care staff (administrators included: not care staff)."""
    patient = await readable_patient(session, principal, patient_id)
    return await reveal(session, AuditEntry, principal=principal, resource_type="patient", record_id=patient.id,
                        person_ref=patient.person_ref, request=request, value=getattr(patient, request.field),
                        endpoint=endpoint)


# --- used by event handlers -------------------------------------------------------------------------------

async def patients_by_refs(session: AsyncSession, refs: list[str]) -> list[Patient]:
    """Our active patients among ``refs`` whose consent is in force: news from other services about a person who
    withdrew it (an alarm, a home visit) is not added to their record."""
    if not refs:
        return []
    consenting = select(consent.Consent.person_ref).where(consent.Consent.person_ref.in_(refs),
                                                          consent.Consent.purpose == consent.HEALTH_DATA,
                                                          consent.Consent.withdrawn_at.is_(None))
    return list(await session.scalars(select(Patient).where(Patient.person_ref.in_(consenting),
                                                            Patient.status == "active")))


async def flag_for_follow_up(session: AsyncSession, *, patient: Patient, reason: str, source_id: uuid.UUID,
                             at: datetime, summary: str) -> bool:
    """Flag the patient and bring the next follow-up forward to ``at``; False when this source already did."""
    async with unit_of_work(session):
        seen = await session.scalar(select(PatientFlag.id).where(
            PatientFlag.patient_id == patient.id, PatientFlag.reason == reason, PatientFlag.source_id == source_id))
        if seen:
            return False
        session.add(PatientFlag(patient_id=patient.id, reason=reason, source_id=source_id, raised_at=at))
        if patient.flagged_since is None:
            patient.flagged_since = at
        await followups.bring_forward(session, patient=patient, due_at=at, reason=reason)
        await timeline.record(session, patient_id=patient.id, kind=reason, ref_id=source_id, summary=summary, at=at)
    return True


async def emergency_alert(session: AsyncSession, *, alert_id: uuid.UUID, person_refs: list[str],
                          raised_at: datetime) -> int:
    """An emergency button was pressed in a household: each of our patients in it is flagged for follow-up.
    Returns how many were flagged (0 when none of the household is a patient here)."""
    flagged = 0
    for patient in await patients_by_refs(session, person_refs):
        if await flag_for_follow_up(session, patient=patient, reason="emergency_alert", source_id=alert_id,
                                    at=raised_at, summary="Emergency-button alert at home: follow-up brought forward"):
            flagged += 1
    return flagged


async def community_visit(session: AsyncSession, *, visit_id: uuid.UUID, person_ref: str, outcome: str,
                          source_event_id: uuid.UUID | None, completed_at: datetime) -> bool:
    """A home visit done by community staff appears on the patient's timeline (with the reading that asked for
    it, when it was one of our flags). False when the person is not a patient here."""
    from services.chronic_care.monitoring.models import Reading  # a read-only lookup of the flag it answers

    patients = await patients_by_refs(session, [person_ref])
    if not patients:
        return False
    patient = patients[0]
    summary = f"Home visit by community staff: {outcome.replace('_', ' ')}"
    if source_event_id is not None:
        reading = await session.scalar(select(Reading).where(Reading.flag_event_id == source_event_id))
        if reading is not None:
            summary += f" (after the {reading.grade} reading of {reading.measured_at:%Y-%m-%d})"
    async with unit_of_work(session):
        await timeline.record(session, patient_id=patient.id, kind="community_visit", ref_id=visit_id,
                              summary=summary, at=completed_at, source="community")
    return True
