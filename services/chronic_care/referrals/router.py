from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Query, status

from services.chronic_care.deps import Caller, Now, Session
from services.chronic_care.referrals import service
from services.chronic_care.referrals.rules import Action, ReferralStatus
from services.chronic_care.referrals.schemas import ReferralAction, ReferralCreate, ReferralPage, ReferralRead
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/referrals", tags=["referrals"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ReferralRead)
async def create_referral(body: ReferralCreate, session: Session, principal: Caller, now: Now):
    return await service.create(session, principal=principal, data=body, now=now)


@router.get("", response_model=ReferralPage)
async def list_referrals(
    session: Session, principal: Caller, patient_id: uuid.UUID | None = None,
    status_: Annotated[ReferralStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_referrals(session, principal=principal, patient_id=patient_id,
                                                      status=status_, limit=limit, cursor=cursor)
    return ReferralPage(items=items, next_cursor=next_cursor)


@router.get("/{referral_id}", response_model=ReferralRead)
async def get_referral(referral_id: uuid.UUID, session: Session, principal: Caller):
    return await service.get(session, principal=principal, referral_id=referral_id)


@router.post("/{referral_id}/{action}", response_model=ReferralRead)
async def referral_action(referral_id: uuid.UUID, action: Action, session: Session, principal: Caller, now: Now,
                          body: Annotated[ReferralAction | None, Body()] = None):
    return await service.transition(session, principal=principal, referral_id=referral_id, action=action,
                                    data=body or ReferralAction(), now=now)
