from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from services.chronic_care.deps import Admin, Session
from services.chronic_care.drugs import service
from services.chronic_care.drugs.schemas import DrugCreate, DrugPage, DrugRead
from shared.auth import Principal, require_roles
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/drugs", tags=["drugs"])
Reader = Annotated[Principal, Depends(require_roles("doctor", "auditor", "resident", "integration"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DrugRead)
async def create_drug(body: DrugCreate, session: Session, _: Admin):
    return await service.create_drug(session, data=body)


@router.get("", response_model=DrugPage)
async def list_drugs(
    session: Session, _: Reader,
    q: Annotated[str | None, Query(max_length=100, description="Part of the generic name or code")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_drugs(session, q=q, limit=limit, cursor=cursor)
    return DrugPage(items=items, next_cursor=next_cursor)


@router.get("/{drug_id}", response_model=DrugRead)
async def get_drug(drug_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_drug(session, drug_id=drug_id)
