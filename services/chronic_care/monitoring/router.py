from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status

from services.chronic_care.deps import Caller, Now, Session
from services.chronic_care.monitoring import service
from services.chronic_care.monitoring.schemas import ReadingCreate, ReadingPage, ReadingRead
from services.chronic_care.thresholds.rules import Measure
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/readings", tags=["monitoring"])
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ReadingRead,
             summary="Post a reading (care staff, the patient's device, or an integration)")
async def post_reading(body: ReadingCreate, session: Session, principal: Caller, now: Now, response: Response,
                       idempotency_key: IdempotencyKey = None):
    reading, created = await service.record_reading(session, principal=principal, data=body, now=now,
                                                    idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return reading


@router.get("", response_model=ReadingPage)
async def list_readings(
    session: Session, principal: Caller, patient_id: uuid.UUID | None = None, station_id: uuid.UUID | None = None,
    measure: Measure | None = None, flagged: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_readings(session, principal=principal, patient_id=patient_id,
                                                     station_id=station_id, measure=measure, flagged=flagged,
                                                     limit=limit, cursor=cursor)
    return ReadingPage(items=items, next_cursor=next_cursor)


@router.get("/{reading_id}", response_model=ReadingRead)
async def get_reading(reading_id: uuid.UUID, session: Session, principal: Caller):
    return await service.get_reading(session, principal=principal, reading_id=reading_id)
