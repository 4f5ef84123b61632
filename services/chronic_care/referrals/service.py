"""Use cases of hospital-admission referrals; entering "requested" publishes ``chronic_care.referral.requested``."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.db import outbox
from services.chronic_care.deps import REFERRALS_SCOPE
from services.chronic_care.patients.access import care_patient, is_care_staff, readable_patient, visible_patient_ids
from services.chronic_care.patients.consent import ensure_consent
from services.chronic_care.patients.models import Patient
from services.chronic_care.referrals.models import Referral, ReferralStep
from services.chronic_care.referrals.rules import CLOSING_ACTIONS, HOSPITAL_ACTIONS, next_status
from services.chronic_care.referrals.schemas import ReferralAction, ReferralCreate
from services.chronic_care.stats import counters
from services.chronic_care.timeline import service as timeline
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.events.contracts.chronic_care import ReferralRequestedV1
from shared.pagination import paginate

_STAMP = {"requested": "requested_at", "accepted": "accepted_at", "admitted": "admitted_at",
          "discharged": "discharged_at"}
_CLOSED = {"dismissed", "declined", "cancelled", "discharged"}


async def _requested(session: AsyncSession, referral: Referral, patient: Patient, at: datetime) -> None:
    referral.requested_at = at
    await counters.bump(session, station_id=referral.station_id, at=at, name="referrals_requested")
    await outbox.add(session, ReferralRequestedV1(referral_id=referral.id, person_ref=patient.person_ref,
                                                  urgency=referral.urgency, requested_at=at))
    await timeline.record(session, patient_id=patient.id, kind="referral", ref_id=referral.id,
                          summary=f"Admission referral requested ({referral.urgency}) to {referral.hospital}", at=at)


async def propose(session: AsyncSession, *, patient: Patient, reading_id: uuid.UUID, by: str,
                  at: datetime) -> Referral:
    """A critical reading proposes an urgent referral (inside the reading's transaction); a doctor confirms it."""
    referral = Referral(id=uuid.uuid4(), patient_id=patient.id, station_id=patient.station_id, status="proposed",
                        urgency="urgent", reading_id=reading_id, proposed_at=at,
                        steps=[ReferralStep(from_status=None, to_status="proposed", by=by, at=at)])
    session.add(referral)
    return referral


async def create(session: AsyncSession, *, principal: Principal, data: ReferralCreate, now: datetime) -> Referral:
    patient = await care_patient(session, principal, data.patient_id)
    await ensure_consent(session, patient, what="a referral")
    async with unit_of_work(session):
        referral = Referral(id=uuid.uuid4(), patient_id=patient.id, station_id=patient.station_id,
                            status="requested", urgency=data.urgency, hospital=data.hospital,
                            department=data.department, reason=data.reason,
                            steps=[ReferralStep(from_status=None, to_status="requested", by=principal.subject,
                                                at=now)])
        session.add(referral)
        await _requested(session, referral, patient, now)
    return referral


async def get(session: AsyncSession, *, principal: Principal, referral_id: uuid.UUID) -> Referral:
    referral = await session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(f"referral {referral_id} not found")
    await readable_patient(session, principal, referral.patient_id)
    return referral


async def transition(session: AsyncSession, *, principal: Principal, referral_id: uuid.UUID, action: str,
                     data: ReferralAction, now: datetime) -> Referral:
    referral = await session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(f"referral {referral_id} not found")
    patient = await session.get(Patient, referral.patient_id)
    hospital_side = action in HOSPITAL_ACTIONS and principal.has_scope(REFERRALS_SCOPE)
    if not hospital_side and not await is_care_staff(session, principal, patient):
        raise Forbidden("only the patient's care staff (or the hospital, for its steps) may do this")
    if action not in CLOSING_ACTIONS:  # sending the patient's data on, or the hospital's news of them
        await ensure_consent(session, patient, what=f"a referral step ({action})")
    at = data.at or now
    if at.tzinfo is None:
        raise InvalidInput("at", "must carry a time zone (UTC)")
    if at > now:
        raise InvalidInput("at", "must not be in the future")
    async with unit_of_work(session):
        await session.refresh(referral, with_for_update=True)
        target = next_status(referral.status, action)
        if target is None:
            raise Conflict(f"cannot {action} a referral that is {referral.status}")
        if action == "confirm":
            referral.hospital = data.hospital or referral.hospital
            if not referral.hospital:
                raise InvalidInput("hospital", "the receiving hospital is required to request the admission")
            referral.department = data.department or referral.department
            referral.reason = data.reason or referral.reason
        session.add(ReferralStep(referral_id=referral.id, from_status=referral.status, to_status=target,
                                 by=principal.subject, at=at, note=data.note))
        referral.status = target
        if target in _STAMP:
            setattr(referral, _STAMP[target], at)
        if target in _CLOSED:
            referral.closed_at = at
        if target == "requested":
            await _requested(session, referral, patient, at)
        if target == "admitted":
            await counters.bump(session, station_id=referral.station_id, at=at, name="referrals_admitted")
        if target in ("admitted", "discharged"):
            await timeline.record(session, patient_id=patient.id, kind=f"referral_{target}", ref_id=referral.id,
                                  summary=f"{target.capitalize()} ({referral.hospital})", at=at)
    await session.refresh(referral, ["steps"])
    return referral


async def list_referrals(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID | None,
                         status: str | None, limit: int, cursor: str | None):
    stmt = select(Referral).where(Referral.patient_id.in_(await visible_patient_ids(session, principal)))
    if patient_id:
        stmt = stmt.where(Referral.patient_id == patient_id)
    if status:
        stmt = stmt.where(Referral.status == status)
    return await paginate(session, stmt, sort_column=Referral.created_at, id_column=Referral.id, limit=limit,
                          cursor=cursor, descending=True)
