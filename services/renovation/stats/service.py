"""Statistics for the overview, with aggregate SQL only (a few grouped queries, never rows in Python). The
biggest tables (projects, ratings, votes) are read through running totals their use cases keep
(``ProjectTally``, ``RatingTally``, ``Plan.votes_count``), so the overview's cost does not grow with them.

Filters apply to each figure by its own date: projects by the year they finish (finished, or due),
future-community applications by the year they were filed, scenario inspections by their date, spaces by the
year they were commissioned, ratings by the year they were given. ``street_code`` applies to all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.communities.models import CommunityScenario, FutureCommunity
from services.renovation.communities.rules import PILOTS
from services.renovation.communities.rules import STATUSES as COMMUNITY_STATUSES
from services.renovation.communities.service import applied_in_year
from services.renovation.participation.models import Plan, RatingTally
from services.renovation.participation.rules import STATUSES as PLAN_STATUSES
from services.renovation.projects.models import ProjectTally
from services.renovation.projects.rules import RENOVATED, UNDER_WAY
from services.renovation.projects.rules import STATUSES as PROJECT_STATUSES
from services.renovation.spaces.models import Space
from services.renovation.stats.schemas import ByStreet, Filters, FutureCommunityStats, Overview, StreetRow
from shared.aggregates import one_row_each
from shared.areas import xiaoshan

NOTES = {
    "year.projects": "projects finishing in the year (actual end, else planned end)",
    "year.future_communities": "applications filed in the year",
    "year.scenarios": "scenario inspections held in the year",
    "year.spaces": "spaces commissioned in the year (inventory counts ignore the year)",
    "year.satisfaction": "ratings given in the year",
    "households_voted": "households that voted, summed over plans (a household voting on two plans counts twice)",
    "satisfaction_avg": "mean household rating 1-5; 0 when there are no ratings (see satisfaction_ratings)",
}
SCENARIO_STATUSES = ("pending", "passed", "failed")


def _date_in_year(column, year: int | None) -> ColumnElement[bool]:
    if year is None:
        return true()
    return and_(column >= date(year, 1, 1), column <= date(year, 12, 31))


def _time_in_year(column, year: int | None) -> ColumnElement[bool]:
    if year is None:
        return true()
    return and_(column >= datetime(year, 1, 1, tzinfo=UTC), column < datetime(year + 1, 1, 1, tzinfo=UTC))


def _project_year(year: int | None) -> ColumnElement[bool]:
    return ProjectTally.year == year if year is not None else true()


def _tally_year(year: int | None) -> ColumnElement[bool]:
    return RatingTally.year == year if year is not None else true()


def _street(column, street_code: str | None) -> ColumnElement[bool]:
    return column == street_code if street_code else true()


async def overview(session: AsyncSession, *, year: int | None, street_code: str | None,
                   now: datetime) -> Overview:
    figures: dict[str, float | int] = {}
    by_status = dict.fromkeys(PROJECT_STATUSES, 0)
    area = dict.fromkeys(PROJECT_STATUSES, 0.0)
    budget = 0
    for status, n, dm2, fen in (await session.execute(
            select(ProjectTally.status, func.sum(ProjectTally.projects), func.sum(ProjectTally.area_dm2),
                   func.sum(ProjectTally.budget_fen))
            .where(_project_year(year), _street(ProjectTally.street_code, street_code))
            .group_by(ProjectTally.status))).all():
        by_status[status], area[status], budget = int(n), int(dm2) / 100, budget + int(fen)
    figures["projects_total"] = sum(by_status.values())
    figures.update({f"projects_{s}": n for s, n in by_status.items()})
    figures["area_renovated_m2"] = round(sum(area[s] for s in RENOVATED), 2)
    figures["area_under_way_m2"] = round(sum(area[s] for s in UNDER_WAY), 2)
    figures["area_planned_m2"] = round(area["planned"] + area["approved"], 2)
    figures["budget_total_fen"] = budget

    fc = await _future_community_counts(session, year=year, street_code=street_code)
    pilots = {lvl: sum(fc[lvl][s] for s in PILOTS) for lvl in ("province", "city")}
    figures["future_community_projects"] = pilots["province"] + pilots["city"]
    figures["future_community_provincial_pilots"] = pilots["province"]
    figures["future_community_city_pilots"] = pilots["city"]
    for status in COMMUNITY_STATUSES:
        figures[f"future_communities_{status}"] = fc["province"][status] + fc["city"][status]
    plans = dict.fromkeys(PLAN_STATUSES, 0)
    for status, n in (await session.execute(select(Plan.status, func.count()).where(
            _street(Plan.street_code, street_code)).group_by(Plan.status))).all():
        plans[status] = n

    # The one-row figures, asked together (one statement: see shared/aggregates.py).
    commissioned_in_year = (Space.status == "commissioned", _time_in_year(Space.commissioned_at, year))
    (beneficiaries,), (scenarios_passed,), spaces, (households_voted,), (ratings, score_sum) = await one_row_each(
        session,
        _beneficiaries_query(year=year, street_code=street_code),
        select(func.count()).select_from(CommunityScenario)
        .join(FutureCommunity, FutureCommunity.id == CommunityScenario.application_id)
        .where(CommunityScenario.scenario == "one_old_one_young", CommunityScenario.status == "passed",
               _date_in_year(CommunityScenario.inspected_on, year), _street(FutureCommunity.street_code, street_code)),
        select(func.count(), func.count().filter(*commissioned_in_year),
               func.coalesce(func.sum(Space.area_m2).filter(*commissioned_in_year), 0))
        .where(_street(Space.street_code, street_code)),
        select(func.coalesce(func.sum(Plan.votes_count), 0)).where(_street(Plan.street_code, street_code)),
        select(func.coalesce(func.sum(RatingTally.ratings), 0), func.coalesce(func.sum(RatingTally.score_sum), 0))
        .where(_street(RatingTally.street_code, street_code), _tally_year(year)),
    )
    figures["beneficiaries"] = int(beneficiaries or 0)
    figures["one_old_one_young_scenarios_passed"] = scenarios_passed or 0
    inventory, commissioned, commissioned_m2 = spaces
    figures["spaces_in_inventory"] = inventory
    figures["spaces_commissioned"] = commissioned
    figures["spaces_commissioned_area_m2"] = round(float(commissioned_m2), 2)
    figures.update({f"plans_{s}": n for s, n in plans.items()})
    figures["households_voted"] = int(households_voted or 0)
    figures["satisfaction_ratings"] = int(ratings)
    figures["satisfaction_avg"] = round(int(score_sum) / int(ratings), 2) if ratings else 0.0  # see NOTES

    return Overview(
        generated_at=now, filters=Filters(year=year, street_code=street_code), figures=figures, notes=NOTES,
        breakdowns={
            "projects_by_status": by_status,
            "area_m2_by_project_status": {s: round(a, 2) for s, a in area.items()},
            "future_communities_province": fc["province"],
            "future_communities_city": fc["city"],
        })


async def _future_community_counts(session: AsyncSession, *, year: int | None,
                                   street_code: str | None) -> dict[str, dict[str, int]]:
    counts = {lvl: dict.fromkeys(COMMUNITY_STATUSES, 0) for lvl in ("province", "city")}
    rows = (await session.execute(
        select(FutureCommunity.level, FutureCommunity.status, func.count())
        .where(applied_in_year(year) if year else true(), _street(FutureCommunity.street_code, street_code))
        .group_by(FutureCommunity.level, FutureCommunity.status))).all()
    for level, status, n in rows:
        counts[level][status] = n
    return counts


def _beneficiaries_query(*, year: int | None, street_code: str | None) -> Select:
    return (select(func.coalesce(func.sum(FutureCommunity.beneficiaries), 0))
            .where(FutureCommunity.status.in_(PILOTS), applied_in_year(year) if year else true(),
                   _street(FutureCommunity.street_code, street_code)))


async def by_street(session: AsyncSession, *, year: int | None, now: datetime) -> ByStreet:
    rows: dict[str, dict] = {}

    def row(code: str) -> dict:
        return rows.setdefault(code, {"projects": 0, "area_renovated_m2": 0.0, "area_under_way_m2": 0.0,
                                      "future_community_pilots": 0, "beneficiaries": 0, "spaces_commissioned": 0,
                                      "satisfaction_avg": None})

    for street, status, n, dm2 in (await session.execute(
            select(ProjectTally.street_code, ProjectTally.status, func.sum(ProjectTally.projects),
                   func.sum(ProjectTally.area_dm2))
            .where(_project_year(year)).group_by(ProjectTally.street_code, ProjectTally.status))).all():
        if not n:
            continue
        r = row(street)
        r["projects"] += int(n)
        if status in RENOVATED:
            r["area_renovated_m2"] += int(dm2) / 100
        elif status in UNDER_WAY:
            r["area_under_way_m2"] += int(dm2) / 100
    for street, n, people in (await session.execute(
            select(FutureCommunity.street_code, func.count(), func.coalesce(func.sum(FutureCommunity.beneficiaries), 0))
            .where(FutureCommunity.status.in_(PILOTS), applied_in_year(year) if year else true())
            .group_by(FutureCommunity.street_code))).all():
        row(street).update(future_community_pilots=n, beneficiaries=int(people))
    for street, n in (await session.execute(
            select(Space.street_code, func.count()).where(Space.status == "commissioned",
                                                          _time_in_year(Space.commissioned_at, year))
            .group_by(Space.street_code))).all():
        row(street)["spaces_commissioned"] = n
    for street, ratings, score_sum in (await session.execute(
            select(RatingTally.street_code, func.sum(RatingTally.ratings), func.sum(RatingTally.score_sum))
            .where(_tally_year(year)).group_by(RatingTally.street_code))).all():
        if ratings:
            row(street)["satisfaction_avg"] = round(int(score_sum) / int(ratings), 2)
    tree = xiaoshan()
    streets = [StreetRow(street_code=code, street_name=(tree.get(code).name if tree.get(code) else code),
                         **{**values, "area_renovated_m2": round(values["area_renovated_m2"], 2),
                            "area_under_way_m2": round(values["area_under_way_m2"], 2)})
               for code, values in sorted(rows.items())]
    return ByStreet(generated_at=now, filters=Filters(year=year, street_code=None), streets=streets)


async def future_communities(session: AsyncSession, *, year: int | None, street_code: str | None,
                             now: datetime) -> FutureCommunityStats:
    counts = await _future_community_counts(session, year=year, street_code=street_code)
    people = dict.fromkeys(("province", "city"), 0)
    for level, n in (await session.execute(
            select(FutureCommunity.level, func.coalesce(func.sum(FutureCommunity.beneficiaries), 0))
            .where(FutureCommunity.status.in_(PILOTS), applied_in_year(year) if year else true(),
                   _street(FutureCommunity.street_code, street_code))
            .group_by(FutureCommunity.level))).all():
        people[level] = int(n)
    scenarios: dict[str, dict[str, int]] = {}
    for scenario, status, n in (await session.execute(
            select(CommunityScenario.scenario, CommunityScenario.status, func.count())
            .join(FutureCommunity, FutureCommunity.id == CommunityScenario.application_id)
            .where(applied_in_year(year) if year else true(), _street(FutureCommunity.street_code, street_code))
            .group_by(CommunityScenario.scenario, CommunityScenario.status))).all():
        scenarios.setdefault(scenario, dict.fromkeys(SCENARIO_STATUSES, 0))[status] = n
    return FutureCommunityStats(generated_at=now, filters=Filters(year=year, street_code=street_code),
                                by_level_and_status=counts, beneficiaries_by_level=people, scenarios=scenarios)
