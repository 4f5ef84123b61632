"""Matching both ways. The database narrows the field (``candidates``: an index-only skill join, grouped and
capped, plus the nearest by street, read as plain rows), then the pure score ranks a few hundred candidates in
Python with its reasons: the cost does not grow with the 100,000 seekers or 20,000 vacancies, only with the
pool size."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.matching import candidates
from services.jobs.matching.candidates import skills_of
from services.jobs.matching.rules import SeekerProfile, VacancyProfile, best, score, total
from services.jobs.matching.schemas import ReasonRead, SeekerMatch, SeekersForVacancy, VacanciesForSeeker, VacancyMatch
from services.jobs.seekers.models import Seeker
from services.jobs.seekers.rules import ACTIVE_STAGES, ASSISTANCE_GROUPS
from services.jobs.seekers.service import ensure_may_read, load_seeker
from services.jobs.seekers.views import shows_identity
from services.jobs.vacancies.service import get_vacancy
from shared.auth import Principal
from shared.errors import Conflict
from shared.identity import mask_name


def seeker_profile(seeker, skills: Iterable[str]) -> SeekerProfile:
    """``seeker``: a Seeker or a candidate row (whose skills come aggregated, hence given apart)."""
    return SeekerProfile(skills=frozenset(skills), desired_posts=tuple(seeker.desired_posts),
                         street_code=seeker.street_code, community_code=seeker.community_code,
                         desired_salary_min_fen=seeker.desired_salary_min_fen, groups=frozenset(groups_of(seeker)))


def vacancy_profile(vacancy, skills: Iterable[str]) -> VacancyProfile:
    """``vacancy``: a Vacancy or a candidate row (whose skills come aggregated, hence given apart)."""
    return VacancyProfile(title=vacancy.title, skills=frozenset(skills), street_code=vacancy.street_code,
                          community_code=vacancy.community_code, salary_min_fen=vacancy.salary_min_fen,
                          salary_max_fen=vacancy.salary_max_fen, public_welfare=vacancy.public_welfare)


def groups_of(seeker) -> list[str]:
    return [g for g in seeker.groups.split(",") if g]


def _reasons(match) -> list[ReasonRead]:
    return [ReasonRead(factor=r.factor, points=r.points, max_points=r.max_points, detail=r.detail)
            for r in match.reasons]


async def vacancies_for_seeker(session: AsyncSession, *, seeker_id: uuid.UUID, principal: Principal,
                               limit: int) -> VacanciesForSeeker:
    seeker = await load_seeker(session, seeker_id)
    ensure_may_read(principal, seeker)
    if seeker.stage not in ACTIVE_STAGES:
        raise Conflict(f"matching is for people looking for work; this seeker is {seeker.stage}")
    rows = await candidates.vacancies(session, skills=seeker.skills, street_code=seeker.street_code)
    profile = seeker_profile(seeker, seeker.skills)
    # Totals for every candidate, reasons in words only for those shown.
    pool = [(v, vacancy_profile(v, skills_of(v.skills))) for v in rows]
    shown = best(((c, total(profile, c[1])) for c in pool), limit)
    ranked = [(v, score(profile, p)) for v, p in shown]
    return VacanciesForSeeker(seeker_id=seeker.id, candidates_considered=len(rows), items=[
        VacancyMatch(vacancy_id=v.id, title=v.title, employer_id=v.employer_id, street_code=v.street_code,
                     salary_min_fen=v.salary_min_fen, salary_max_fen=v.salary_max_fen,
                     openings=max(v.headcount - v.filled, 0), public_welfare=v.public_welfare, score=m.score,
                     reasons=_reasons(m))
        for v, m in ranked])


async def seekers_for_vacancy(session: AsyncSession, *, vacancy_id: uuid.UUID, principal: Principal,
                              limit: int) -> SeekersForVacancy:
    vacancy = await get_vacancy(session, vacancy_id=vacancy_id)
    if vacancy.status != "open":
        raise Conflict("the vacancy is closed")
    looking = Seeker.stage.in_(ACTIVE_STAGES)
    if vacancy.public_welfare:
        looking = looking & or_(*(Seeker.groups.like(f"%,{g},%") for g in sorted(ASSISTANCE_GROUPS)))
    if principal.street_code and not principal.is_admin:
        looking = looking & (Seeker.street_code == principal.street_code)
    rows = await candidates.seekers(session, skills=vacancy.skills, street_code=vacancy.street_code,
                                    looking=looking)
    profile = vacancy_profile(vacancy, vacancy.skills)
    pool = [(s, seeker_profile(s, skills_of(s.skills))) for s in rows]
    shown = best(((c, total(c[1], profile)) for c in pool), limit)
    ranked = [(s, score(p, profile)) for s, p in shown]
    return SeekersForVacancy(vacancy_id=vacancy.id, candidates_considered=len(rows), items=[
        SeekerMatch(seeker_id=s.id, seeker_name=s.name if shows_identity(principal, s) else mask_name(s.name),
                    stage=s.stage, street_code=s.street_code,
                    priority_groups=groups_of(s), score=m.score, reasons=_reasons(m))
        for s, m in ranked])
