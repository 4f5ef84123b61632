from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from services.jobs.access import AnyUser, Officer, Session
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit, StreetCode
from services.jobs.vacancies import service
from services.jobs.vacancies.rules import VacancyStatus
from services.jobs.vacancies.schemas import VacancyCreate, VacancyPage, VacancyRead, VacancyUpdate
from shared.clock import Now

router = APIRouter(prefix="/vacancies", tags=["vacancies"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VacancyRead)
async def create_vacancy(body: VacancyCreate, session: Session, _: Officer, now: Now):
    return await service.create_vacancy(session, data=body, now=now)


@router.get("", response_model=VacancyPage, summary="Vacancies (public to any signed-in user)")
async def list_vacancies(
    session: Session, _: AnyUser, status_: Annotated[VacancyStatus | None, Query(alias="status")] = None,
    street_code: StreetCode = None, employer_id: uuid.UUID | None = None, public_welfare: bool | None = None,
    skill: Annotated[str | None, Query(max_length=40)] = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
):
    rows, next_cursor = await service.list_vacancies(
        session, status=status_, street_code=street_code, employer_id=employer_id, public_welfare=public_welfare,
        skill=skill, limit=limit, cursor=cursor)
    return VacancyPage(items=rows, next_cursor=next_cursor)


@router.get("/{vacancy_id}", response_model=VacancyRead)
async def get_vacancy(vacancy_id: uuid.UUID, session: Session, _: AnyUser):
    return await service.get_vacancy(session, vacancy_id=vacancy_id)


@router.patch("/{vacancy_id}", response_model=VacancyRead)
async def update_vacancy(vacancy_id: uuid.UUID, body: VacancyUpdate, session: Session, _: Officer):
    return await service.update_vacancy(session, vacancy_id=vacancy_id, data=body)


@router.post("/{vacancy_id}/{action}", response_model=VacancyRead, summary="Close or reopen a vacancy")
async def transition(vacancy_id: uuid.UUID, action: Literal["close", "reopen"], session: Session, _: Officer,
                     now: Now):
    return await service.transition_vacancy(session, vacancy_id=vacancy_id, action=action, now=now)
