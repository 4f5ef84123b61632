from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from services.chronic_care.deps import Caller, Now, Session
from services.chronic_care.labs import service
from services.chronic_care.labs.rules import LabStatus
from services.chronic_care.labs.schemas import LabResult, LabSample, LabTestCreate, LabTestPage, LabTestRead
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/lab-tests", tags=["lab tests"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=LabTestRead)
async def order_test(body: LabTestCreate, session: Session, principal: Caller, now: Now):
    return await service.order(session, principal=principal, data=body, now=now)


@router.get("", response_model=LabTestPage)
async def list_tests(session: Session, principal: Caller, patient_id: uuid.UUID | None = None,
                     status_: Annotated[LabStatus | None, Query(alias="status")] = None,
                     limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
                     cursor: Annotated[str | None, Query(max_length=500)] = None):
    items, next_cursor = await service.list_tests(session, principal=principal, patient_id=patient_id,
                                                  status=status_, limit=limit, cursor=cursor)
    return LabTestPage(items=items, next_cursor=next_cursor)


@router.get("/{test_id}", response_model=LabTestRead)
async def get_test(test_id: uuid.UUID, session: Session, principal: Caller):
    return await service.get(session, principal=principal, test_id=test_id)


@router.post("/{test_id}/sample", response_model=LabTestRead, summary="The sample was taken at the station")
async def take_sample(test_id: uuid.UUID, session: Session, principal: Caller, now: Now,
                      body: LabSample | None = None):
    return await service.step(session, principal=principal, test_id=test_id, action="sample", now=now,
                              at=body.taken_at if body else None)


@router.post("/{test_id}/result", response_model=LabTestRead)
async def record_result(test_id: uuid.UUID, body: LabResult, session: Session, principal: Caller, now: Now):
    return await service.step(session, principal=principal, test_id=test_id, action="result", now=now, result=body)


@router.post("/{test_id}/cancel", response_model=LabTestRead)
async def cancel(test_id: uuid.UUID, session: Session, principal: Caller, now: Now):
    return await service.step(session, principal=principal, test_id=test_id, action="cancel", now=now)
