"""Anonymise job seekers not served for JOBS_RETENTION_YEARS: ``python -m services.jobs.retention``.

Default 5 years after the last activity: the loop's follow-ups end 6 months after placement and a benefit
claim lasts at most 24 months, so five quiet years leave no case to reopen, and employment-service
registrations are not kept beyond what the service needs (PIPL art. 19: the shortest period necessary).
Last activity is derived, no column added: registration, contact, placement and closure on the seeker, and
the latest act, contact attempt, stage change, placement, follow-up, benefit claim or payment and loan.
Open work (an approved or pending benefit claim, an unpaid payment line, a loan not repaid, a pending
follow-up) keeps the seeker as is and is reported. Statistics read stage, street, placements, payments and
loans, which stay: only identity and free text go.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import Field
from sqlalchemy import bindparam, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

import services.jobs.models  # noqa: F401  (every mapper configured)
from services.jobs.assistance.models import ContactAttempt, ServiceAct
from services.jobs.benefits.models import BenefitClaim, BenefitPayment
from services.jobs.benefits.rules import OPEN_CLAIMS
from services.jobs.db import AuditEntry, OutboxMessage
from services.jobs.households.models import Household, HouseholdMember
from services.jobs.loans.models import Guarantor, Loan, Repayment
from services.jobs.placements.models import FollowUp, Placement
from services.jobs.seekers.models import Seeker, StageChange
from services.jobs.settings import Settings
from shared import retention
from shared.retention import ANONYMISED_NAME, ANONYMISED_TEXT

MINIMUM_YEARS = 1
# Loans still owed (a defaulted loan is being recovered): the borrower stays identifiable.
LOANS_OWED = ("applied", "approved", "disbursed", "repaying", "defaulted")


class RetentionSettings(Settings):
    retention_years: int = Field(5, ge=MINIMUM_YEARS, le=100)


def _before(column, cutoff: datetime):
    return or_(column.is_(None), column < cutoff)


def _none_since(model, cutoff: datetime, *columns):
    """No row of ``model`` for the seeker with any of ``columns`` on or after the cutoff."""
    return ~exists().where(model.seeker_id == Seeker.id, or_(*(c >= cutoff for c in columns)))


class SeekerRetention:
    resource_type = "seeker"
    fields = ("id_number", "name", "phone", "birth_date", "community_code", "person_ref", "notes",
              "business_name")

    async def candidates(self, session: AsyncSession, *, cutoff: datetime, after: uuid.UUID | None,
                         limit: int) -> list[uuid.UUID]:
        day = cutoff.date()
        period = f"{day:%Y-%m}"
        stmt = (select(Seeker.id).where(
            ~retention.is_anonymised(Seeker.person_ref),
            Seeker.registered_at < cutoff, _before(Seeker.last_contact_at, cutoff),
            _before(Seeker.placed_at, cutoff), _before(Seeker.closed_at, cutoff),
            _none_since(ServiceAct, cutoff, ServiceAct.at, ServiceAct.responded_at),
            _none_since(ContactAttempt, cutoff, ContactAttempt.at),
            _none_since(StageChange, cutoff, StageChange.at),
            _none_since(Placement, day, Placement.placed_on, Placement.ended_on),
            _none_since(FollowUp, day, FollowUp.due_on),
            ~exists().where(FollowUp.seeker_id == Seeker.id, FollowUp.done_at >= cutoff),
            _none_since(BenefitClaim, cutoff, BenefitClaim.created_at, BenefitClaim.decided_at),
            ~exists().where(BenefitPayment.claim_id == BenefitClaim.id, BenefitClaim.seeker_id == Seeker.id,
                            BenefitPayment.period >= period),
            _none_since(Loan, cutoff, Loan.applied_at, Loan.decided_at),
            ~exists().where(Loan.seeker_id == Seeker.id,
                            or_(Loan.disbursed_on >= day, Loan.closed_on >= day)),
            ~exists().where(Repayment.loan_id == Loan.id, Loan.seeker_id == Seeker.id, Repayment.paid_on >= day),
        ).order_by(Seeker.id).limit(limit))
        if after is not None:
            stmt = stmt.where(Seeker.id > after)
        if session.bind.dialect.name == "postgresql":
            # A seeker being served right now is locked by that request: leave them for the next run.
            stmt = stmt.with_for_update(of=Seeker, skip_locked=True)
        return list((await session.scalars(stmt)).all())

    async def with_open_work(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        claims = select(BenefitClaim.seeker_id).where(BenefitClaim.seeker_id.in_(ids),
                                                      BenefitClaim.status.in_(OPEN_CLAIMS))
        unpaid = (select(BenefitClaim.seeker_id).join(BenefitPayment, BenefitPayment.claim_id == BenefitClaim.id)
                  .where(BenefitClaim.seeker_id.in_(ids), BenefitPayment.status == "pending"))
        loans = select(Loan.seeker_id).where(Loan.seeker_id.in_(ids), Loan.status.in_(LOANS_OWED))
        follow_ups = select(FollowUp.seeker_id).where(FollowUp.seeker_id.in_(ids), FollowUp.status == "pending")
        busy = await session.scalars(claims.union(unpaid, loans, follow_ups))
        return set(busy.all())

    async def anonymise(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
        people = (await session.execute(select(Seeker.id, Seeker.person_ref, Seeker.birth_date)
                                        .where(Seeker.id.in_(ids)))).all()
        new_refs = {p.person_ref: retention.opaque_ref() for p in people}
        await retention.update_each(session, Seeker, [
            {"id": p.id, "id_number": retention.id_number_placeholder(), "name": ANONYMISED_NAME, "phone": None,
             "birth_date": retention.birth_year_only(p.birth_date), "community_code": None,
             "person_ref": new_refs[p.person_ref]} for p in people])
        await retention.replace_refs(session, new_refs, BenefitClaim.person_ref, Loan.applicant_ref,
                                     HouseholdMember.person_ref, Guarantor.party)
        # Free text may name the person (or their family): it goes; the rows and their counts stay.
        for model, values in ((StageChange, {"reason": None}), (ServiceAct, {"note": None, "response_note": None}),
                              (ContactAttempt, {"note": None}), (FollowUp, {"note": None}),
                              (BenefitClaim, {"decision_reason": None})):
            await session.execute(update(model).where(model.seeker_id.in_(ids)).values(values)
                                  .execution_options(synchronize_session=False))
        # A sole trader's business is often named after them.
        await session.execute(update(Loan).where(Loan.applicant_ref.in_(new_refs.values()))
                              .values(business_name=ANONYMISED_TEXT, decision_reason=None)
                              .execution_options(synchronize_session=False))
        await _anonymise_households(session, list(new_refs.values()))


async def _anonymise_households(session: AsyncSession, refs: list[str]) -> None:
    members = (await session.execute(select(HouseholdMember.household_id, HouseholdMember.person_ref,
                                            HouseholdMember.birth_date)
                                     .where(HouseholdMember.person_ref.in_(refs)))).all()
    if not members:
        return
    table = HouseholdMember.__table__
    await session.execute(update(table).where(table.c.person_ref == bindparam("ref"))
                          .values(birth_date=bindparam("born")),
                          [{"ref": m.person_ref, "born": retention.birth_year_only(m.birth_date)} for m in members])
    # A household label (building/unit) is an address: it goes once nobody in the household is identifiable.
    await session.execute(update(Household).where(
        Household.id.in_({m.household_id for m in members}),
        ~exists().where(HouseholdMember.household_id == Household.id,
                        ~retention.is_anonymised(HouseholdMember.person_ref)),
    ).values(label=None).execution_options(synchronize_session=False))


POLICY = SeekerRetention()


def main(argv: Sequence[str] | None = None) -> None:
    retention.main(argv, service="jobs", settings=RetentionSettings(), policy=POLICY, audit_model=AuditEntry,
                   outbox_model=OutboxMessage, minimum_years=MINIMUM_YEARS)


if __name__ == "__main__":
    main(sys.argv[1:])
