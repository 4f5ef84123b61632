"""Anonymise patients not seen for CHRONIC_CARE_RETENTION_YEARS: ``python -m services.chronic_care.retention``.

Health records are medical records: China's 医疗机构病历管理规定 (2013, art. 29) keeps outpatient records at
least 15 years from the patient's last visit (inpatient records 30 years, but those are the hospital's; this
service holds a village station's outpatient care and the referral request). So the default AND the floor
are 15 years: a shorter setting is refused, and so is a ``--before`` later than 15 years ago.
Anonymising keeps the clinical rows (readings, dispensing, labs) for the statistics and removes who they
were about. Last activity is derived, no column added: registration, the last reading, and the patient's
care timeline, which every act writes (reading, dispensing, follow-up, lab, referral, rehab, flag).
Open work skips the patient and is reported: a scheduled follow-up (an active patient always has one), an
ongoing referral, an unfinished refill or lab test, an active nursing plan, an uncleared flag.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import Field
from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

import services.chronic_care.models  # noqa: F401  (every mapper configured)
from services.chronic_care.db import AuditEntry, OutboxMessage
from services.chronic_care.dispensing.models import Refill
from services.chronic_care.followups.models import FollowUp
from services.chronic_care.labs.models import LabTest
from services.chronic_care.patients.models import Patient, PatientFlag
from services.chronic_care.referrals.models import Referral, ReferralStep
from services.chronic_care.referrals.rules import OPEN as OPEN_REFERRALS
from services.chronic_care.rehab.models import NursingPlan, NursingVisit
from services.chronic_care.settings import Settings
from services.chronic_care.timeline.models import TimelineEntry
from shared import retention
from shared.retention import ANONYMISED_NAME, ANONYMISED_TEXT

MINIMUM_YEARS = 15
UNFINISHED_REFILLS = ("requested", "ordered", "approved", "delivered", "partially_dispensed")
UNFINISHED_LABS = ("ordered", "sample_taken")


class RetentionSettings(Settings):
    retention_years: int = Field(MINIMUM_YEARS, ge=MINIMUM_YEARS, le=100)


class PatientRetention:
    resource_type = "patient"
    fields = ("id_number", "name", "phone", "birth_date", "community_code", "person_ref", "notes", "reasons",
              "result_text", "goal")

    async def candidates(self, session: AsyncSession, *, cutoff: datetime, after: uuid.UUID | None,
                         limit: int) -> list[uuid.UUID]:
        stmt = (select(Patient.id).where(
            ~retention.is_anonymised(Patient.person_ref),
            Patient.registered_at < cutoff,
            or_(Patient.last_reading_at.is_(None), Patient.last_reading_at < cutoff),
            ~exists().where(TimelineEntry.patient_id == Patient.id, TimelineEntry.occurred_at >= cutoff),
        ).order_by(Patient.id).limit(limit))
        if after is not None:
            stmt = stmt.where(Patient.id > after)
        if session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=Patient, skip_locked=True)  # in care right now: next run
        return list((await session.scalars(stmt)).all())

    async def with_open_work(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        open_work = (
            select(FollowUp.patient_id).where(FollowUp.patient_id.in_(ids), FollowUp.status == "scheduled"),
            select(Referral.patient_id).where(Referral.patient_id.in_(ids), Referral.status.in_(OPEN_REFERRALS)),
            select(Refill.patient_id).where(Refill.patient_id.in_(ids), Refill.status.in_(UNFINISHED_REFILLS)),
            select(LabTest.patient_id).where(LabTest.patient_id.in_(ids), LabTest.status.in_(UNFINISHED_LABS)),
            select(NursingPlan.patient_id).where(NursingPlan.patient_id.in_(ids), NursingPlan.status == "active"),
            select(PatientFlag.patient_id).where(PatientFlag.patient_id.in_(ids), PatientFlag.cleared_at.is_(None)),
        )
        busy = await session.scalars(open_work[0].union(*open_work[1:]))
        return set(busy.all())

    async def anonymise(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
        people = (await session.execute(select(Patient.id, Patient.birth_date).where(Patient.id.in_(ids)))).all()
        await retention.update_each(session, Patient, [
            {"id": p.id, "id_number": retention.id_number_placeholder(), "name": ANONYMISED_NAME, "phone": None,
             "birth_date": retention.birth_year_only(p.birth_date), "community_code": None,
             "person_ref": retention.opaque_ref()} for p in people])
        # Free text written about the patient may name them or their family; coded values stay.
        for model, values in ((FollowUp, {"notes": None}), (Referral, {"reason": None}),
                              (Refill, {"note": None, "rejected_reason": None}), (LabTest, {"result_text": None}),
                              (NursingPlan, {"goal": ANONYMISED_TEXT})):
            await session.execute(update(model).where(model.patient_id.in_(ids)).values(values)
                                  .execution_options(synchronize_session=False))
        await session.execute(update(ReferralStep).where(ReferralStep.referral_id.in_(
            select(Referral.id).where(Referral.patient_id.in_(ids)))).values(note=None)
            .execution_options(synchronize_session=False))
        await session.execute(update(NursingVisit).where(NursingVisit.plan_id.in_(
            select(NursingPlan.id).where(NursingPlan.patient_id.in_(ids)))).values(notes=None)
            .execution_options(synchronize_session=False))


POLICY = PatientRetention()


def main(argv: Sequence[str] | None = None) -> None:
    retention.main(argv, service="chronic_care", settings=RetentionSettings(), policy=POLICY,
                   audit_model=AuditEntry, outbox_model=OutboxMessage, minimum_years=MINIMUM_YEARS)


if __name__ == "__main__":
    main(sys.argv[1:])
