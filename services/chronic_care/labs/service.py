"""Use cases of routine lab tests, each step timed."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.labs.models import LabTest
from services.chronic_care.labs.rules import next_status
from services.chronic_care.labs.schemas import LabResult, LabTestCreate
from services.chronic_care.patients.access import care_patient, readable_patient, visible_patient_ids
from services.chronic_care.patients.consent import ensure_consent
from services.chronic_care.stats import counters
from services.chronic_care.timeline import service as timeline
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, InvalidInput, NotFound
from shared.pagination import paginate


async def order(session: AsyncSession, *, principal: Principal, data: LabTestCreate, now: datetime) -> LabTest:
    patient = await care_patient(session, principal, data.patient_id)
    await ensure_consent(session, patient, what="a lab order")
    async with unit_of_work(session):
        test = LabTest(id=uuid.uuid4(), patient_id=patient.id, station_id=patient.station_id,
                       test_code=data.test_code, status="ordered", ordered_by=principal.subject, ordered_at=now)
        session.add(test)
        await timeline.record(session, patient_id=patient.id, kind="lab_ordered", ref_id=test.id,
                              summary=f"Lab test ordered: {data.test_code}", at=now)
    return test


async def _for_care(session: AsyncSession, principal: Principal, test_id: uuid.UUID, action: str) -> LabTest:
    test = await session.get(LabTest, test_id)
    if test is None:
        raise NotFound(f"lab test {test_id} not found")
    patient = await care_patient(session, principal, test.patient_id)
    if action != "cancel":  # a sample or a result is new health data; cancelling is not
        await ensure_consent(session, patient, what=f"a lab {action}")
    return test


async def step(session: AsyncSession, *, principal: Principal, test_id: uuid.UUID, action: str, now: datetime,
               at: datetime | None = None, result: LabResult | None = None) -> LabTest:
    test = await _for_care(session, principal, test_id, action)
    if result is not None:
        if result.value is None and result.text is None:
            raise InvalidInput("value", "a result needs a value or a text")
        if result.value is not None and result.unit is None:
            raise InvalidInput("unit", "a numeric result needs its unit")
    at = at or now
    if at.tzinfo is None:
        raise InvalidInput("taken_at", "must carry a time zone (UTC)")
    if at > now:
        raise InvalidInput("taken_at", "must not be in the future")
    async with unit_of_work(session):
        await session.refresh(test, with_for_update=True)
        target = next_status(test.status, action)
        if target is None:
            raise Conflict(f"cannot {action} a lab test that is {test.status}")
        if action == "sample":
            if at < test.ordered_at:
                raise InvalidInput("taken_at", "must not be before the test was ordered")
            test.sample_taken_at, test.sample_taken_by = at, principal.subject
        elif action == "result":
            test.resulted_at, test.resulted_by = now, principal.subject
            test.result_value, test.result_unit = result.value, result.unit
            test.result_text, test.abnormal = result.text, result.abnormal
            await counters.bump(session, station_id=test.station_id, at=now, name="lab_tests_resulted")
            await timeline.record(session, patient_id=test.patient_id, kind="lab_resulted", ref_id=test.id,
                                  summary=f"Lab result: {test.test_code}" + (" (abnormal)" if result.abnormal else ""),
                                  at=now)
        else:
            test.cancelled_at = now
        test.status = target
    return test


async def get(session: AsyncSession, *, principal: Principal, test_id: uuid.UUID) -> LabTest:
    test = await session.get(LabTest, test_id)
    if test is None:
        raise NotFound(f"lab test {test_id} not found")
    await readable_patient(session, principal, test.patient_id)
    return test


async def list_tests(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID | None,
                     status: str | None, limit: int, cursor: str | None):
    stmt = select(LabTest).where(LabTest.patient_id.in_(await visible_patient_ids(session, principal)))
    if patient_id:
        stmt = stmt.where(LabTest.patient_id == patient_id)
    if status:
        stmt = stmt.where(LabTest.status == status)
    return await paginate(session, stmt, sort_column=LabTest.ordered_at, id_column=LabTest.id, limit=limit,
                          cursor=cursor, descending=True)
