"""Use cases of follow-ups: scheduling, doing them, the overdue call list and call outcomes."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.followups.models import FollowUp, FollowUpCall
from services.chronic_care.followups.rules import ENDS_CARE, call_again_at, check_call, days_overdue
from services.chronic_care.followups.schemas import CallRecord, FollowUpComplete
from services.chronic_care.patients.access import care_patient, visible_patient_ids
from services.chronic_care.patients.consent import ensure_consent
from services.chronic_care.patients.models import Patient, PatientFlag
from services.chronic_care.patients.rules import follow_up_interval
from services.chronic_care.stations.service import stations_of
from services.chronic_care.stats import counters
from services.chronic_care.timeline import service as timeline
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.identity import mask_phone
from shared.pagination import paginate

# --- scheduling (inside other use cases' transactions) ----------------------------------------------------


async def open_follow_up(session: AsyncSession, patient_id: uuid.UUID) -> FollowUp | None:
    return await session.scalar(select(FollowUp).where(FollowUp.patient_id == patient_id,
                                                       FollowUp.status == "scheduled").with_for_update())


async def schedule_next(session: AsyncSession, *, patient: Patient, after: datetime, reason: str) -> FollowUp:
    interval = follow_up_interval([c.code for c in patient.conditions])
    follow_up = FollowUp(patient_id=patient.id, station_id=patient.station_id, due_at=after + interval,
                         reason=reason, status="scheduled", calls=[])
    session.add(follow_up)
    await counters.follow_up_due(session, station_id=patient.station_id, was=None, now_=follow_up.due_at)
    return follow_up


async def reschedule_open(session: AsyncSession, *, patient: Patient, now: datetime) -> None:
    """Conditions changed: the open follow-up is due one (new) interval after the last one done."""
    current = await open_follow_up(session, patient.id)
    if current is None:
        return
    last_done = await session.scalar(select(FollowUp.completed_at).where(
        FollowUp.patient_id == patient.id, FollowUp.status == "done").order_by(FollowUp.completed_at.desc()).limit(1))
    base = last_done or patient.registered_at
    due = min(current.due_at, base + follow_up_interval([c.code for c in patient.conditions]))
    await counters.follow_up_due(session, station_id=current.station_id, was=current.due_at, now_=due)
    current.due_at = due


async def bring_forward(session: AsyncSession, *, patient: Patient, due_at: datetime, reason: str) -> None:
    current = await open_follow_up(session, patient.id)
    if current is None:
        session.add(FollowUp(patient_id=patient.id, station_id=patient.station_id, due_at=due_at, reason=reason,
                             status="scheduled", calls=[]))
        await counters.follow_up_due(session, station_id=patient.station_id, was=None, now_=due_at)
        return
    due = min(current.due_at, due_at)
    await counters.follow_up_due(session, station_id=current.station_id, was=current.due_at, now_=due)
    current.due_at = due
    current.reason = reason
    current.call_again_at = None  # whatever was agreed on the phone, this needs seeing now


# --- use cases --------------------------------------------------------------------------------------------


async def _follow_up_for_care(session: AsyncSession, principal: Principal, follow_up_id: uuid.UUID):
    follow_up = await session.get(FollowUp, follow_up_id)
    if follow_up is None:
        raise NotFound(f"follow-up {follow_up_id} not found")
    patient = await care_patient(session, principal, follow_up.patient_id)
    return follow_up, patient


async def complete(session: AsyncSession, *, principal: Principal, follow_up_id: uuid.UUID,
                   data: FollowUpComplete, now: datetime) -> FollowUp:
    follow_up, patient = await _follow_up_for_care(session, principal, follow_up_id)
    await ensure_consent(session, patient, what="a follow-up")
    done_at = data.completed_at or now
    if done_at.tzinfo is None:
        raise InvalidInput("completed_at", "must carry a time zone (UTC)")
    if done_at > now:
        raise InvalidInput("completed_at", "must not be in the future")
    async with unit_of_work(session):
        if follow_up.status != "scheduled":
            raise Conflict(f"this follow-up is {follow_up.status}")
        follow_up.status, follow_up.completed_at, follow_up.completed_by = "done", done_at, principal.subject
        await counters.follow_up_due(session, station_id=follow_up.station_id, was=follow_up.due_at, now_=None)
        follow_up.method, follow_up.notes = data.method, data.notes
        await session.flush()
        await counters.bump(session, station_id=follow_up.station_id, at=done_at, name="follow_ups_done")
        # Seeing the patient answers whatever flagged them.
        await session.execute(update(PatientFlag).where(PatientFlag.patient_id == patient.id,
                                                        PatientFlag.cleared_at.is_(None)).values(cleared_at=done_at))
        patient.flagged_since = None
        if patient.status == "active":
            await schedule_next(session, patient=patient, after=done_at, reason="routine")
        await timeline.record(session, patient_id=patient.id, kind="follow_up", ref_id=follow_up.id,
                              summary=f"Follow-up done ({data.method})", at=done_at)
    await session.refresh(follow_up, ["calls"])
    return follow_up


async def record_call(session: AsyncSession, *, principal: Principal, follow_up_id: uuid.UUID, data: CallRecord,
                      now: datetime) -> FollowUp:
    follow_up, patient = await _follow_up_for_care(session, principal, follow_up_id)
    if data.outcome != "removed":  # taking the patient off the call list is still possible
        await ensure_consent(session, patient, what="a follow-up call")
    problem = check_call(data.outcome, visit_on=data.visit_on, call_on=data.call_on,
                         removed_reason=data.removed_reason, today=now.date())
    if problem:
        raise InvalidInput(*problem)
    async with unit_of_work(session):
        if follow_up.status != "scheduled":
            raise Conflict(f"this follow-up is {follow_up.status}")
        session.add(FollowUpCall(follow_up_id=follow_up.id, outcome=data.outcome, visit_on=data.visit_on,
                                 call_on=data.call_on, removed_reason=data.removed_reason, by=principal.subject,
                                 at=now))
        if data.outcome == "removed":
            follow_up.status, follow_up.removed_reason = "removed", data.removed_reason
            await counters.follow_up_due(session, station_id=follow_up.station_id, was=follow_up.due_at, now_=None)
            await session.flush()
            if data.removed_reason in ENDS_CARE:
                await counters.patient_in_counts(session, patient, at=now, sign=-1)
                patient.status, patient.inactive_reason = "inactive", data.removed_reason
            else:  # refused this time: the schedule goes on
                await schedule_next(session, patient=patient, after=now, reason="routine")
        else:
            follow_up.call_again_at = call_again_at(data.outcome, visit_on=data.visit_on, call_on=data.call_on)
    await session.refresh(follow_up, ["calls"])
    return follow_up


async def list_follow_ups(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID | None,
                          status: str | None, limit: int, cursor: str | None):
    stmt = select(FollowUp).where(FollowUp.patient_id.in_(await visible_patient_ids(session, principal)))
    if patient_id:
        stmt = stmt.where(FollowUp.patient_id == patient_id)
    if status:
        stmt = stmt.where(FollowUp.status == status)
    return await paginate(session, stmt, sort_column=FollowUp.due_at, id_column=FollowUp.id, limit=limit,
                          cursor=cursor)


def _encode(rank: int, due_at: datetime, row_id: uuid.UUID) -> str:
    raw = json.dumps([rank, due_at.isoformat(), str(row_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[int, datetime, uuid.UUID]:
    try:
        rank, due, row_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return int(rank), datetime.fromisoformat(due), uuid.UUID(row_id)
    except Exception as exc:  # a malformed cursor is the client's error
        raise InvalidInput("cursor", "is not a cursor this API issued") from exc


async def overdue(session: AsyncSession, *, principal: Principal, station_id: uuid.UUID | None, now: datetime,
                  limit: int, cursor: str | None) -> tuple[list[dict], str | None]:
    """Overdue follow-ups of the caller's patients, riskiest first: the last reading's grade, then the longest
    overdue. Call outcomes hide a patient until the agreed day."""
    if not principal.has_role("doctor"):
        raise Forbidden("the overdue list is for care staff")
    stations = await stations_of(session, principal.subject)
    if station_id and station_id not in stations:
        raise Forbidden("only the staff of this station may read its overdue list")
    stmt = (
        select(FollowUp, Patient).join(Patient, Patient.id == FollowUp.patient_id)
        .where(FollowUp.status == "scheduled", FollowUp.due_at < now, Patient.status == "active",
               or_(FollowUp.call_again_at.is_(None), FollowUp.call_again_at <= now),
               or_(Patient.station_id.in_(stations), Patient.family_doctor == principal.subject))
    )
    if station_id:
        stmt = stmt.where(FollowUp.station_id == station_id)
    if cursor:
        rank, due, row_id = _decode(cursor)
        stmt = stmt.where(or_(
            Patient.last_grade_rank < rank,
            and_(Patient.last_grade_rank == rank, FollowUp.due_at > due),
            and_(Patient.last_grade_rank == rank, FollowUp.due_at == due, FollowUp.id > row_id),
        ))
    stmt = stmt.order_by(Patient.last_grade_rank.desc(), FollowUp.due_at, FollowUp.id).limit(limit + 1)
    rows = list((await session.execute(stmt)).all())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last_follow_up, last_patient = rows[-1]
        next_cursor = _encode(last_patient.last_grade_rank, last_follow_up.due_at, last_follow_up.id)
    items = [{
        "follow_up": f, "patient_name": p.name, "phone": mask_phone(p.phone), "last_grade": p.last_grade,
        "last_reading_at": p.last_reading_at, "days_overdue": days_overdue(f.due_at, now),
        "flagged": p.flagged_since is not None,
    } for f, p in rows]
    return items, next_cursor
