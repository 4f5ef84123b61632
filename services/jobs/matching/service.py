"""Matching both ways. The database narrows the field (an indexed skill join, grouped and capped, plus the
nearest by street), then the pure score ranks a few hundred candidates in Python with its reasons: the cost
does not grow with the 100,000 seekers or 20,000 vacancies, only with the pool size."""

from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.matching.rules import SeekerProfile, VacancyProfile, rank, score
from services.jobs.matching.schemas import ReasonRead, SeekerMatch, SeekersForVacancy, VacanciesForSeeker, VacancyMatch
from services.jobs.seekers.models import Seeker, SeekerSkill
from services.jobs.seekers.rules import ACTIVE_STAGES, ASSISTANCE_GROUPS
from services.jobs.seekers.service import ensure_may_read, load_seeker
from services.jobs.seekers.views import shows_identity
from services.jobs.vacancies.models import Vacancy, VacancySkill
from services.jobs.vacancies.service import get_vacancy
from shared.auth import Principal
from shared.errors import Conflict
from shared.identity import mask_name

SKILL_POOL = 300  # best skill overlaps fetched from the database
NEARBY_POOL = 100  # plus this many from the same street, whatever their skills


def seeker_profile(seeker: Seeker) -> SeekerProfile:
    return SeekerProfile(skills=frozenset(seeker.skills), desired_posts=tuple(seeker.desired_posts),
                         street_code=seeker.street_code, community_code=seeker.community_code,
                         desired_salary_min_fen=seeker.desired_salary_min_fen,
                         groups=frozenset(seeker.priority_groups))


def vacancy_profile(vacancy: Vacancy) -> VacancyProfile:
    return VacancyProfile(title=vacancy.title, skills=frozenset(vacancy.skills), street_code=vacancy.street_code,
                          community_code=vacancy.community_code, salary_min_fen=vacancy.salary_min_fen,
                          salary_max_fen=vacancy.salary_max_fen, public_welfare=vacancy.public_welfare)


def _reasons(match) -> list[ReasonRead]:
    return [ReasonRead(factor=r.factor, points=r.points, max_points=r.max_points, detail=r.detail)
            for r in match.reasons]


async def vacancies_for_seeker(session: AsyncSession, *, seeker_id: uuid.UUID, principal: Principal,
                               limit: int) -> VacanciesForSeeker:
    seeker = await load_seeker(session, seeker_id)
    ensure_may_read(principal, seeker)
    if seeker.stage not in ACTIVE_STAGES:
        raise Conflict(f"matching is for people looking for work; this seeker is {seeker.stage}")
    ids: list[uuid.UUID] = []
    if seeker.skills:
        ids += (await session.scalars(
            select(VacancySkill.vacancy_id).join(Vacancy, Vacancy.id == VacancySkill.vacancy_id)
            .where(VacancySkill.skill.in_(seeker.skills), Vacancy.status == "open")
            .group_by(VacancySkill.vacancy_id).order_by(func.count().desc(), VacancySkill.vacancy_id)
            .limit(SKILL_POOL))).all()
    ids += (await session.scalars(
        select(Vacancy.id).where(Vacancy.status == "open", Vacancy.street_code == seeker.street_code)
        .order_by(Vacancy.opened_at.desc(), Vacancy.id).limit(NEARBY_POOL))).all()
    unique = list(dict.fromkeys(ids))
    vacancies = (await session.scalars(select(Vacancy).where(Vacancy.id.in_(unique)))).all() if unique else []
    order = {vid: i for i, vid in enumerate(unique)}
    vacancies = sorted(vacancies, key=lambda v: order[v.id])
    profile = seeker_profile(seeker)
    ranked = rank(((v, score(profile, vacancy_profile(v))) for v in vacancies), limit)
    return VacanciesForSeeker(seeker_id=seeker.id, candidates_considered=len(vacancies), items=[
        VacancyMatch(vacancy_id=v.id, title=v.title, employer_id=v.employer_id, street_code=v.street_code,
                     salary_min_fen=v.salary_min_fen, salary_max_fen=v.salary_max_fen, openings=v.openings,
                     public_welfare=v.public_welfare, score=m.score, reasons=_reasons(m))
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
    ids: list[uuid.UUID] = []
    if vacancy.skills:
        ids += (await session.scalars(
            select(SeekerSkill.seeker_id).join(Seeker, Seeker.id == SeekerSkill.seeker_id)
            .where(SeekerSkill.skill.in_(vacancy.skills), looking)
            .group_by(SeekerSkill.seeker_id).order_by(func.count().desc(), SeekerSkill.seeker_id)
            .limit(SKILL_POOL))).all()
    # Nearby people who have waited longest come next, whatever their listed skills.
    ids += (await session.scalars(
        select(Seeker.id).where(looking, Seeker.street_code == vacancy.street_code)
        .order_by(Seeker.registered_at, Seeker.id).limit(NEARBY_POOL))).all()
    unique = list(dict.fromkeys(ids))
    seekers = (await session.scalars(select(Seeker).where(Seeker.id.in_(unique)))).all() if unique else []
    order = {sid: i for i, sid in enumerate(unique)}
    seekers = sorted(seekers, key=lambda s: order[s.id])
    profile = vacancy_profile(vacancy)
    ranked = rank(((s, score(seeker_profile(s), profile)) for s in seekers), limit)
    return SeekersForVacancy(vacancy_id=vacancy.id, candidates_considered=len(seekers), items=[
        SeekerMatch(seeker_id=s.id, seeker_name=s.name if shows_identity(principal, s) else mask_name(s.name),
                    stage=s.stage, street_code=s.street_code, priority_groups=s.priority_groups, score=m.score,
                    reasons=_reasons(m))
        for s, m in ranked])
