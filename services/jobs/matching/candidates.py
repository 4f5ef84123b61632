"""The candidate pools as Core rows, in one statement each: the best skill overlaps (an index-only join of the
skill rows to the open vacancies or looking seekers, grouped and capped) followed by the nearest, each with
its skills aggregated. No ORM objects: loading a few hundred of them cost more than the query itself.

The order is the pools' own (overlap, then id; then the nearest), a candidate in both keeping its place in the
skill pool: the ranking keeps it among equal scores. Works on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, Integer, Row, Select, case, cast, func, literal, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.seekers.models import Seeker, SeekerSkill
from services.jobs.vacancies.models import Vacancy, VacancySkill

SKILL_POOL = 300  # best skill overlaps fetched from the database
NEARBY_POOL = 100  # plus this many from the same street, whatever their skills
# Skills are whitespace-normalised (normalise_terms), and Python counts \x1f as whitespace: never inside one.
SEPARATOR = "\x1f"


def skills_of(value: str | None) -> frozenset[str]:
    return frozenset(value.split(SEPARATOR)) if value else frozenset()


def _by_skill(skill_row, owner, skills: Sequence[str], wanted: ColumnElement[bool]) -> Select:
    """``skill_row``: VacancySkill or SeekerSkill, rows of skills of an ``owner`` (Vacancy or Seeker). No window
    function here: the planner keeps a top-N sort of the overlaps instead of sorting them all."""
    owner_id = skill_row.vacancy_id if owner is Vacancy else skill_row.seeker_id
    return (select(owner_id.label("id"), func.count().label("overlap"), literal(0).label("part"))
            .join(owner, owner.id == owner_id).where(skill_row.skill.in_(skills), wanted)
            .group_by(owner_id).order_by(func.count().desc(), owner_id).limit(SKILL_POOL))


def _nearby(owner, wanted: ColumnElement[bool], order_by: tuple) -> Select:
    return (select(owner.id.label("id"), cast(null(), Integer).label("overlap"), literal(1).label("part"))
            .where(wanted).order_by(*order_by).limit(NEARBY_POOL))


async def _candidates(session: AsyncSession, owner, columns: list, parts: list[Select], nearby_key,
                      newest_first: bool) -> list[Row]:
    """``owner``'s ``columns`` for each candidate once, in the pools' order: part 0 (skills) by overlap then id,
    then part 1 (nearby) by ``nearby_key`` then id."""
    selects = [select(p.c.id, p.c.overlap, p.c.part) for p in (part.subquery() for part in parts)]
    union = union_all(*selects).subquery() if len(selects) > 1 else selects[0].subquery()
    pool = (select(union.c.id, func.min(union.c.part).label("part"), func.max(union.c.overlap).label("overlap"))
            .group_by(union.c.id).subquery())
    nearby = case((pool.c.part == 1, nearby_key))  # NULL in the skill pool, whose ties fall to the id
    return list((await session.execute(
        select(*columns).join(pool, pool.c.id == owner.id)
        .order_by(pool.c.part, pool.c.overlap.desc(), nearby.desc() if newest_first else nearby, owner.id))).all())


async def vacancies(session: AsyncSession, *, skills: Sequence[str], street_code: str) -> list[Row]:
    """Open vacancies for a seeker with these skills living in this street: the best overlaps, then the newest
    in the street."""
    is_open = Vacancy.status == "open"
    parts = [_nearby(Vacancy, is_open & (Vacancy.street_code == street_code), (Vacancy.opened_at.desc(), Vacancy.id))]
    if skills:
        parts.insert(0, _by_skill(VacancySkill, Vacancy, skills, is_open))
    skill_list = (select(func.aggregate_strings(VacancySkill.skill, SEPARATOR))
                  .where(VacancySkill.vacancy_id == Vacancy.id).scalar_subquery())
    columns = [Vacancy.id, Vacancy.title, Vacancy.employer_id, Vacancy.street_code, Vacancy.community_code,
               Vacancy.salary_min_fen, Vacancy.salary_max_fen, Vacancy.headcount, Vacancy.filled,
               Vacancy.public_welfare, skill_list.label("skills")]
    return await _candidates(session, Vacancy, columns, parts, Vacancy.opened_at, newest_first=True)


async def seekers(session: AsyncSession, *, skills: Sequence[str], street_code: str,
                  looking: ColumnElement[bool]) -> list[Row]:
    """Seekers (``looking`` says which) for a vacancy with these skills in this street: the best overlaps, then
    those in the street who have waited longest."""
    parts = [_nearby(Seeker, looking & (Seeker.street_code == street_code), (Seeker.registered_at, Seeker.id))]
    if skills:
        parts.insert(0, _by_skill(SeekerSkill, Seeker, skills, looking))
    skill_list = (select(func.aggregate_strings(SeekerSkill.skill, SEPARATOR))
                  .where(SeekerSkill.seeker_id == Seeker.id).scalar_subquery())
    columns = [Seeker.id, Seeker.name, Seeker.person_ref, Seeker.stage, Seeker.street_code, Seeker.community_code,
               Seeker.groups, Seeker.desired_posts, Seeker.desired_salary_min_fen, skill_list.label("skills")]
    return await _candidates(session, Seeker, columns, parts, Seeker.registered_at, newest_first=False)
