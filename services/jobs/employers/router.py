from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.jobs.access import Officer, Reader, Session
from services.jobs.employers import service
from services.jobs.employers.schemas import EmployerCreate, EmployerPage, EmployerRead
from services.jobs.relief.schemas import EmployerReliefSummary
from services.jobs.relief.service import employer_summary
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit, StreetCode

router = APIRouter(prefix="/employers", tags=["employers"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=EmployerRead)
async def create_employer(body: EmployerCreate, session: Session, _: Officer):
    return await service.create_employer(session, data=body)


@router.get("", response_model=EmployerPage)
async def list_employers(session: Session, _: Reader, street_code: StreetCode = None,
                         q: Annotated[str | None, Query(max_length=100)] = None, limit: Limit = DEFAULT_LIMIT,
                         cursor: Cursor = None):
    rows, next_cursor = await service.list_employers(session, street_code=street_code, q=q, limit=limit,
                                                     cursor=cursor)
    return EmployerPage(items=rows, next_cursor=next_cursor)


@router.get("/{employer_id}", response_model=EmployerRead)
async def get_employer(employer_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_employer(session, employer_id=employer_id)


@router.get("/{employer_id}/relief", response_model=EmployerReliefSummary,
            summary="Relief approved for the enterprise, by kind (reduce / refund / defer)")
async def employer_relief(employer_id: uuid.UUID, session: Session, _: Reader):
    return await employer_summary(session, employer_id=employer_id)
