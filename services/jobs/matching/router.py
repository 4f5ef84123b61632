from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from services.jobs.access import Reader, ReaderOrSelf, Session
from services.jobs.matching import service
from services.jobs.matching.schemas import SeekersForVacancy, VacanciesForSeeker

router = APIRouter(tags=["matching"])
Top = Annotated[int, Query(ge=1, le=50)]


@router.get("/seekers/{seeker_id}/matches", response_model=VacanciesForSeeker,
            summary="Open vacancies for a seeker, best first, with the reasons for each score")
async def vacancies_for_seeker(seeker_id: uuid.UUID, session: Session, principal: ReaderOrSelf, limit: Top = 10):
    return await service.vacancies_for_seeker(session, seeker_id=seeker_id, principal=principal, limit=limit)


@router.get("/vacancies/{vacancy_id}/matches", response_model=SeekersForVacancy,
            summary="Seekers for a vacancy, best first, with the reasons for each score")
async def seekers_for_vacancy(vacancy_id: uuid.UUID, session: Session, principal: Reader, limit: Top = 10):
    return await service.seekers_for_vacancy(session, vacancy_id=vacancy_id, principal=principal, limit=limit)
