"""Use cases of vacancies: publish, edit, close/reopen, fill a post (inside a placement's transaction)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.employers.service import get_employer
from services.jobs.seekers.rules import normalise_terms
from services.jobs.vacancies.models import Vacancy, VacancySkill
from services.jobs.vacancies.rules import refusal
from services.jobs.vacancies.schemas import VacancyCreate, VacancyUpdate
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.locations import check_community, check_street
from shared.pagination import paginate


async def create_vacancy(session: AsyncSession, *, data: VacancyCreate, now: datetime) -> Vacancy:
    check_street(data.street_code)
    if data.community_code:
        check_community(data.community_code, street_code=data.street_code)
    await get_employer(session, employer_id=data.employer_id)
    async with unit_of_work(session):
        fields = data.model_dump(exclude={"skills"})
        vacancy = Vacancy(**fields, filled=0, status="open", opened_at=now,
                          skill_rows=[VacancySkill(skill=s) for s in normalise_terms(data.skills)])
        session.add(vacancy)
    return vacancy


async def get_vacancy(session: AsyncSession, *, vacancy_id: uuid.UUID, for_update: bool = False,
                      field: str = "vacancy_id") -> Vacancy:
    vacancy = await session.get(Vacancy, vacancy_id, with_for_update=for_update)
    if vacancy is None:
        raise NotFound(f"vacancy {vacancy_id} not found", [FieldError(field, "no such vacancy")])
    return vacancy


async def list_vacancies(
    session: AsyncSession, *, status: str | None, street_code: str | None, employer_id: uuid.UUID | None,
    public_welfare: bool | None, skill: str | None, limit: int, cursor: str | None,
) -> tuple[list[Vacancy], str | None]:
    stmt = select(Vacancy)
    if status:
        stmt = stmt.where(Vacancy.status == status)
    if street_code:
        stmt = stmt.where(Vacancy.street_code == street_code)
    if employer_id:
        stmt = stmt.where(Vacancy.employer_id == employer_id)
    if public_welfare is not None:
        stmt = stmt.where(Vacancy.public_welfare.is_(public_welfare))
    if skill:
        terms = normalise_terms([skill])
        if not terms:
            raise InvalidInput("skill", "must not be blank")
        stmt = stmt.where(Vacancy.id.in_(select(VacancySkill.vacancy_id).where(VacancySkill.skill == terms[0])))
    return await paginate(session, stmt, sort_column=Vacancy.opened_at, id_column=Vacancy.id, limit=limit,
                          cursor=cursor, descending=True)


async def update_vacancy(session: AsyncSession, *, vacancy_id: uuid.UUID, data: VacancyUpdate) -> Vacancy:
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field not in ("description", "location"):
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        vacancy = await get_vacancy(session, vacancy_id=vacancy_id, for_update=True)
        low = changes.get("salary_min_fen", vacancy.salary_min_fen)
        high = changes.get("salary_max_fen", vacancy.salary_max_fen)
        if high < low:
            raise InvalidInput("salary_max_fen", "must not be below salary_min_fen")
        if changes.get("headcount") is not None and changes["headcount"] < vacancy.filled:
            raise InvalidInput("headcount", f"{vacancy.filled} posts are already filled")
        if "skills" in changes:
            wanted = normalise_terms(changes.pop("skills"))
            vacancy.skill_rows = [r for r in vacancy.skill_rows if r.skill in wanted]
            have = {r.skill for r in vacancy.skill_rows}
            vacancy.skill_rows.extend(VacancySkill(skill=s) for s in wanted if s not in have)
        for field, value in changes.items():
            setattr(vacancy, field, value)
    return vacancy


async def transition_vacancy(session: AsyncSession, *, vacancy_id: uuid.UUID, action: str,
                             now: datetime) -> Vacancy:
    async with unit_of_work(session):
        vacancy = await get_vacancy(session, vacancy_id=vacancy_id, for_update=True)
        why = refusal(vacancy.status, action, filled=vacancy.filled, headcount=vacancy.headcount)
        if why:
            raise Conflict(why)
        if action == "close":
            vacancy.status, vacancy.closed_at = "closed", now
        else:
            vacancy.status, vacancy.closed_at = "open", None
    return vacancy


async def fill_post(session: AsyncSession, *, vacancy: Vacancy, now: datetime) -> None:
    """Inside a placement's transaction: one more post filled; the vacancy closes when the last one is."""
    why = refusal(vacancy.status, "fill", filled=vacancy.filled, headcount=vacancy.headcount)
    if why:
        raise Conflict(why, [FieldError("vacancy_id", why)])
    vacancy.filled += 1
    if vacancy.filled >= vacancy.headcount:
        vacancy.status, vacancy.closed_at = "closed", now

