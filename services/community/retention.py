"""Anonymise residents not served for COMMUNITY_RETENTION_YEARS: ``python -m services.community.retention``.

Default 3 years after the last activity: canteen subsidies, childcare and course places are settled and
audited by the year, and a resident who has not ordered a meal, booked, enrolled, been visited or had a
home alert in three years has moved away or died; PIPL art. 19 keeps personal data only as long as the
purpose needs. Last activity is derived, no column added: registration (created_at), meal orders, childcare
bookings, enrolments, home visits (by resident or by ref) and the household's work orders.
Open work skips the resident and is reported: an open work order or an active home-safety device in the
household (the kit is a service still running), an open visit task, a meal ordered and not served, a
booked childcare place, an enrolment in a course that has not ended. A household's address and position go
once none of its residents is identifiable. Statistics count rows by street and month, which all stay.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from pydantic import Field
from sqlalchemy import exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

import services.community.models  # noqa: F401  (every mapper configured)
from services.community.canteen.models import MealOrder
from services.community.childcare.models import ChildcareBooking
from services.community.courses.models import Course, Enrolment
from services.community.db import AuditEntry, OutboxMessage
from services.community.devices.models import Device
from services.community.residents.models import Household, Resident
from services.community.settings import Settings
from services.community.visits.models import VisitTask
from services.community.visits.rules import OPEN as OPEN_VISITS
from services.community.workorders.models import WorkOrder, WorkOrderStep
from services.community.workorders.rules import OPEN as OPEN_ORDERS
from shared import retention
from shared.retention import ANONYMISED_NAME, ANONYMISED_TEXT

MINIMUM_YEARS = 1


class RetentionSettings(Settings):
    retention_years: int = Field(3, ge=MINIMUM_YEARS, le=100)


def _visits_of_resident():
    return or_(VisitTask.resident_id == Resident.id, VisitTask.person_ref == Resident.person_ref)


class ResidentRetention:
    resource_type = "resident"
    fields = ("id_number", "name", "phone", "birth_date", "person_ref", "notes", "address", "position")

    async def candidates(self, session: AsyncSession, *, cutoff: datetime, after: uuid.UUID | None,
                         limit: int) -> list[uuid.UUID]:
        stmt = (select(Resident.id).where(
            ~retention.is_anonymised(Resident.person_ref),
            Resident.created_at < cutoff,
            ~exists().where(MealOrder.resident_id == Resident.id, or_(
                MealOrder.ordered_at >= cutoff, MealOrder.meal_date >= cutoff.date())),
            ~exists().where(ChildcareBooking.resident_id == Resident.id, or_(
                ChildcareBooking.booked_at >= cutoff, ChildcareBooking.checked_in_at >= cutoff)),
            ~exists().where(Enrolment.resident_id == Resident.id, or_(
                Enrolment.requested_at >= cutoff, Enrolment.attendance_marked_at >= cutoff)),
            ~exists().where(_visits_of_resident(), or_(VisitTask.due_at >= cutoff, VisitTask.completed_at >= cutoff)),
            ~exists().where(WorkOrder.household_id == Resident.household_id, WorkOrder.last_alert_at >= cutoff),
        ).order_by(Resident.id).limit(limit))
        if after is not None:
            stmt = stmt.where(Resident.id > after)
        if session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=Resident, skip_locked=True)  # being served right now: next run
        return list((await session.scalars(stmt)).all())

    async def with_open_work(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        now = datetime.now(UTC)
        mine = Resident.id.in_(ids)
        open_work = (
            select(Resident.id).join(WorkOrder, WorkOrder.household_id == Resident.household_id)
            .where(mine, WorkOrder.status.in_(OPEN_ORDERS)),
            select(Resident.id).join(Device, Device.household_id == Resident.household_id)
            .where(mine, Device.status == "active"),
            select(Resident.id).join(VisitTask, _visits_of_resident()).where(mine, VisitTask.status.in_(OPEN_VISITS)),
            select(MealOrder.resident_id).where(MealOrder.resident_id.in_(ids), MealOrder.status == "ordered"),
            select(ChildcareBooking.resident_id).where(ChildcareBooking.resident_id.in_(ids),
                                                       ChildcareBooking.status == "booked"),
            select(Enrolment.resident_id).join(Course, Course.id == Enrolment.course_id).where(
                Enrolment.resident_id.in_(ids), Enrolment.status.in_(("enrolled", "waitlisted")),
                Course.ends_at >= now),
        )
        busy = await session.scalars(open_work[0].union(*open_work[1:]))
        return set(busy.all())

    async def anonymise(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
        people = (await session.execute(select(Resident.id, Resident.person_ref, Resident.birth_date,
                                               Resident.household_id).where(Resident.id.in_(ids)))).all()
        new_refs = {p.person_ref: retention.opaque_ref() for p in people}
        await retention.update_each(session, Resident, [
            {"id": p.id, "id_number": retention.id_number_placeholder(), "name": ANONYMISED_NAME, "phone": None,
             "birth_date": retention.birth_year_only(p.birth_date), "person_ref": new_refs[p.person_ref]}
            for p in people])
        await retention.replace_refs(session, new_refs, MealOrder.person_ref, ChildcareBooking.person_ref,
                                     Enrolment.person_ref, VisitTask.person_ref)
        await session.execute(update(VisitTask).where(VisitTask.person_ref.in_(new_refs.values()))
                              .values(note=None).execution_options(synchronize_session=False))
        await _anonymise_households(session, {p.household_id for p in people})


async def _anonymise_households(session: AsyncSession, household_ids: set[uuid.UUID]) -> None:
    """Once nobody in a household is identifiable, its address, position and the notes at its door go."""
    emptied = (await session.scalars(select(Household.id).where(
        Household.id.in_(household_ids),
        ~exists().where(Resident.household_id == Household.id, ~retention.is_anonymised(Resident.person_ref)),
    ))).all()
    if not emptied:
        return
    await retention.update_each(session, Household, [
        {"id": h, "label": f"{ANONYMISED_TEXT}{h.hex[:8]}", "address": ANONYMISED_TEXT, "latitude": None,
         "longitude": None} for h in emptied])
    orders = select(WorkOrder.id).where(WorkOrder.household_id.in_(emptied))
    await session.execute(update(WorkOrder).where(WorkOrder.household_id.in_(emptied))
                          .values(resolution_note=None, review_note=None)
                          .execution_options(synchronize_session=False))
    await session.execute(update(WorkOrderStep).where(WorkOrderStep.work_order_id.in_(orders))
                          .values(note=None).execution_options(synchronize_session=False))


POLICY = ResidentRetention()


def main(argv: Sequence[str] | None = None) -> None:
    retention.main(argv, service="community", settings=RetentionSettings(), policy=POLICY,
                   audit_model=AuditEntry, outbox_model=OutboxMessage, minimum_years=MINIMUM_YEARS)


if __name__ == "__main__":
    main(sys.argv[1:])
