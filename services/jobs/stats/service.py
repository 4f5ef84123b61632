"""Statistics for the overview, with aggregate SQL only (one statement per table, FILTER clauses for the
figures of the same table, never rows in Python). Seeker counts come from their running tallies
(``tallies``), the one table large enough (100,000 seekers at the benchmark's scale) to make scans hurt.

Each figure is filtered by its own date: placements by the day work started, registrations by their day,
benefit by the period paid for, loans by disbursement day, relief by approval day, households cleared by the
day of clearance. Stage counts, open follow-ups and zero-employment households are "now" (street only).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, distinct, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.benefits.models import BenefitClaim, BenefitPayment
from services.jobs.households.models import Household, HouseholdChange
from services.jobs.loans.models import Loan
from services.jobs.loans.rules import OUTSTANDING
from services.jobs.placements.models import FollowUp, Placement
from services.jobs.relief.models import ReliefEnterpriseYear, ReliefRollup
from services.jobs.seekers.models import Seeker
from services.jobs.seekers.rules import ACTIVE_STAGES, STAGES
from services.jobs.stats import tallies
from services.jobs.stats.schemas import Filters, Overview
from shared.aggregates import one_row_each

NOTES = {
    "year.placements": "new_urban_jobs and people helped: placements whose work started in the year",
    "year.registrations": "seekers_newly_registered: registered in the year",
    "year.benefit": "benefit paid for periods (months) of the year",
    "year.loans": "loans disbursed in the year (outstanding and defaulted are now)",
    "year.relief": "relief records approved in the year (enterprise-times = approved records)",
    "year.households": "households cleared in the year (zero-employment households are now)",
    "now": "seekers by stage, follow-ups overdue and zero-employment households ignore the year",
}


def _days(column, year: int | None) -> ColumnElement[bool]:
    return true() if year is None else and_(column >= date(year, 1, 1), column <= date(year, 12, 31))


def _times(column, year: int | None) -> ColumnElement[bool]:
    if year is None:
        return true()
    return and_(column >= datetime(year, 1, 1, tzinfo=UTC), column < datetime(year + 1, 1, 1, tzinfo=UTC))


def _street(column, street_code: str | None) -> ColumnElement[bool]:
    return column == street_code if street_code else true()


async def overview(session: AsyncSession, *, year: int | None, street_code: str | None, now: datetime,
                   no_contact_days: int) -> Overview:
    f: dict[str, float | int | None] = {}
    b: dict[str, dict[str, int]] = {}

    placed = and_(_days(Placement.placed_on, year), _street(Placement.street_code, street_code))
    kinds = ("market", "public_welfare", "self_employed")
    helped = Placement.assisted.is_(True)
    period_filter = true() if year is None else BenefitPayment.period.like(f"{year:04d}-%")
    disbursed = and_(Loan.disbursed_on.is_not(None), _days(Loan.disbursed_on, year))
    household_street = _street(Household.street_code, street_code)
    # The one-row figures, asked together (one statement: see shared/aggregates.py).
    (placements, (overdue,), (contacted,), benefit, (claims_active,), loans, (relief_enterprises,), (zero_households,),
     (cleared,)) = await one_row_each(
        session,
        select(*(func.count().filter(Placement.placement_type == kind) for kind in kinds),
               func.count(distinct(Placement.seeker_id)).filter(helped),
               func.count(distinct(Placement.seeker_id)).filter(helped, Placement.priority.is_(True))).where(placed),
        select(func.count()).select_from(FollowUp).where(
            FollowUp.status == "pending", FollowUp.due_on < now.date(), _street(FollowUp.street_code, street_code)),
        _contacted_since_query(now - timedelta(days=no_contact_days), street_code),
        select(func.coalesce(func.sum(BenefitPayment.amount_fen), 0), func.count(distinct(BenefitPayment.claim_id)))
        .where(BenefitPayment.status == "paid", period_filter, _street(BenefitPayment.street_code, street_code)),
        select(func.count()).select_from(BenefitClaim).where(
            BenefitClaim.status == "approved", _street(BenefitClaim.street_code, street_code)),
        select(func.count().filter(disbursed), func.coalesce(func.sum(Loan.disbursed_fen).filter(disbursed), 0),
               func.coalesce(func.sum(Loan.disbursed_fen - Loan.repaid_fen).filter(Loan.status.in_(OUTSTANDING)), 0),
               func.count().filter(Loan.status == "defaulted")).where(_street(Loan.street_code, street_code)),
        select(func.count(distinct(ReliefEnterpriseYear.employer_id))).where(
            ReliefEnterpriseYear.year == year if year else true(),
            _street(ReliefEnterpriseYear.street_code, street_code)),
        select(func.count()).select_from(Household).where(Household.status == "zero_employment", household_street),
        select(func.count()).select_from(HouseholdChange).join(Household, Household.id == HouseholdChange.household_id)
        .where(HouseholdChange.from_status == "zero_employment", HouseholdChange.to_status == "clear",
               _times(HouseholdChange.at, year), household_street),
    )

    *per_kind, helped_n, helped_priority = placements
    by_type = dict(zip(kinds, per_kind, strict=True))
    b["placements_by_type"] = by_type
    f["new_urban_jobs"] = sum(by_type.values())
    f["people_helped_into_work"] = helped_n
    f["people_helped_from_assistance_groups"] = helped_priority
    f["public_welfare_placements"] = by_type["public_welfare"]

    # Seekers from their tallies (kept by every registration and stage change): no scan of the seekers.
    counted, f["seekers_newly_registered"] = await tallies.seekers_by_stage(session, year=year,
                                                                            street_code=street_code)
    stages = {stage: counted[stage] for stage in STAGES}
    b["seekers_by_stage"] = stages
    f.update({f"seekers_{stage}": n for stage, n in stages.items()})
    f["follow_ups_overdue"] = overdue or 0
    f["seekers_without_contact"] = sum(stages[s] for s in ACTIVE_STAGES) - (contacted or 0)

    paid_fen, recipients = benefit
    f["benefit_paid_fen"] = int(paid_fen)
    f["benefit_recipients"] = recipients
    f["benefit_claims_active"] = claims_active or 0

    disbursed_n, disbursed_fen, outstanding, defaulted = loans
    f["loans_disbursed"] = disbursed_n
    f["loans_disbursed_fen"] = int(disbursed_fen)
    f["loans_outstanding_fen"] = int(outstanding)
    f["loans_defaulted"] = defaulted

    # Relief from its rollups (kept by each approval): a few rows, whatever the number of records.
    rollup = and_(ReliefRollup.year == year if year else true(), _street(ReliefRollup.street_code, street_code))
    by_kind = dict.fromkeys(("reduce", "refund", "defer"), 0)
    times = 0
    for kind, n, fen in (await session.execute(select(
            ReliefRollup.kind, func.coalesce(func.sum(ReliefRollup.records), 0),
            func.coalesce(func.sum(ReliefRollup.amount_fen), 0)).where(rollup).group_by(ReliefRollup.kind))).all():
        by_kind[kind], times = int(fen), times + int(n)
    b["relief_fen_by_kind"] = by_kind
    f["relief_enterprise_times"] = times
    f["relief_total_fen"] = sum(by_kind.values())
    f["relief_enterprises"] = relief_enterprises or 0

    f["zero_employment_households"] = zero_households or 0
    f["households_cleared"] = cleared or 0

    return Overview(generated_at=now, filters=Filters(year=year, street_code=street_code), figures=f,
                    breakdowns=b, notes=NOTES)


def _contacted_since_query(since: datetime, street_code: str | None) -> Select:
    """Seekers looking for work whose last contact (or registration, if none yet) is at or after ``since``:
    the complement of "without contact" among them, found through the indexes on both dates, so the cost
    follows the recently contacted rather than every seeker."""
    recent = or_(Seeker.last_contact_at >= since, and_(Seeker.last_contact_at.is_(None), Seeker.registered_at >= since))
    return select(func.count()).select_from(Seeker).where(
        Seeker.stage.in_(ACTIVE_STAGES), recent, _street(Seeker.street_code, street_code))
