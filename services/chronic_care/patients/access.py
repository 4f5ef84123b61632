"""Who may see and change a patient's health data: the patient's care staff (doctors of the patient's station,
and the family doctor) and the patient. Nobody else, administrators included: they run the service, they do
not read health records; statistics carry no person."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.patients.models import Patient
from services.chronic_care.stations.service import stations_of
from shared.auth import Principal
from shared.errors import Forbidden, NotFound


async def is_care_staff(session: AsyncSession, principal: Principal, patient: Patient) -> bool:
    if not principal.has_role("doctor"):
        return False
    if patient.family_doctor == principal.subject:
        return True
    return patient.station_id in await stations_of(session, principal.subject)


def is_self(principal: Principal, patient: Patient) -> bool:
    return principal.has_role("resident") and bool(principal.person_ref) and principal.person_ref == patient.person_ref


async def _load(session: AsyncSession, patient_id: uuid.UUID) -> Patient:
    patient = await session.get(Patient, patient_id)
    if patient is None:
        raise NotFound(f"patient {patient_id} not found")
    return patient


async def readable_patient(session: AsyncSession, principal: Principal, patient_id: uuid.UUID) -> Patient:
    patient = await _load(session, patient_id)
    if is_self(principal, patient) or await is_care_staff(session, principal, patient):
        return patient
    raise Forbidden("only the patient and the patient's care staff may read this")


async def care_patient(session: AsyncSession, principal: Principal, patient_id: uuid.UUID) -> Patient:
    """The patient, for a change only care staff may make (clinical records)."""
    patient = await _load(session, patient_id)
    if await is_care_staff(session, principal, patient):
        return patient
    raise Forbidden("only the patient's care staff may do this")


async def visible_patients_clause(session: AsyncSession, principal: Principal):
    """A WHERE clause on ``Patient`` limiting a list to what ``principal`` may read (None: nothing)."""
    if principal.has_role("doctor"):
        stations = await stations_of(session, principal.subject)
        return or_(Patient.family_doctor == principal.subject, Patient.station_id.in_(stations))
    if principal.has_role("resident") and principal.person_ref:
        return Patient.person_ref == principal.person_ref
    return None


async def visible_patient_ids(session: AsyncSession, principal: Principal):
    """A subquery of the patient ids ``principal`` may read, for lists of clinical records."""
    clause = await visible_patients_clause(session, principal)
    if clause is None:
        raise Forbidden("only patients and their care staff may read health records")
    return select(Patient.id).where(clause)
