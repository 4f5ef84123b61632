from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from services.community.access import AnyCaller, Reader, Session, Staff, StaffOrResident
from services.community.residents import service
from services.community.residents.rules import Group
from services.community.residents.schemas import (
    HouseholdCreate,
    HouseholdPage,
    HouseholdRead,
    HouseholdUpdate,
    MyRecord,
    ResidentCreate,
    ResidentPage,
    ResidentRead,
    ResidentUpdate,
)
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from shared.reveal import RevealRequest, RevealResponse

router = APIRouter(tags=["residents and households"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]
Code = Annotated[str | None, Query(min_length=9, max_length=12)]


@router.post("/households", status_code=status.HTTP_201_CREATED, response_model=HouseholdRead)
async def create_household(body: HouseholdCreate, session: Session, principal: Staff, now: Now):
    household = await service.create_household(session, data=body, actor=principal)
    return service.household_view(household, viewer=principal, today=service.today_of(now))


@router.get("/households", response_model=HouseholdPage)
async def list_households(session: Session, principal: Reader, now: Now, community_code: Code = None,
                          street_code: Code = None, limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_households(session, community_code=community_code,
                                                       street_code=street_code, limit=limit, cursor=cursor)
    today = service.today_of(now)
    return {"items": [service.household_view(h, viewer=principal, today=today) for h in items],
            "next_cursor": next_cursor}


@router.get("/households/{household_id}", response_model=HouseholdRead,
            summary="A household with its members (community staff, auditors masked, or a member)")
async def get_household(household_id: uuid.UUID, session: Session, principal: AnyCaller, now: Now):
    return await service.read_household(session, household_id=household_id, viewer=principal,
                                        today=service.today_of(now))


@router.patch("/households/{household_id}", response_model=HouseholdRead)
async def update_household(household_id: uuid.UUID, body: HouseholdUpdate, session: Session, principal: Staff,
                           now: Now):
    household = await service.update_household(session, household_id=household_id, data=body, actor=principal)
    return service.household_view(household, viewer=principal, today=service.today_of(now))


@router.post("/households/{household_id}/members", status_code=status.HTTP_201_CREATED,
             response_model=ResidentRead)
async def add_member(household_id: uuid.UUID, body: ResidentCreate, session: Session, principal: Staff, now: Now,
                     request: Request):
    key = request.app.state.settings.person_ref_key.get_secret_value()
    resident = await service.add_member(session, household_id=household_id, data=body, actor=principal,
                                        ref_key=key, now=now)
    return service.resident_view(resident, viewer=principal, today=service.today_of(now))


@router.get("/residents", response_model=ResidentPage, summary="Residents (ID numbers always masked in lists)")
async def list_residents(session: Session, principal: Reader, now: Now, group: Group | None = None,
                         community_code: Code = None, household_id: uuid.UUID | None = None,
                         limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    today = service.today_of(now)
    items, next_cursor = await service.list_residents(session, group=group, community_code=community_code,
                                                      household_id=household_id, today=today, limit=limit,
                                                      cursor=cursor)
    return {"items": [service.resident_view(r, viewer=principal, today=today) for r in items],
            "next_cursor": next_cursor}


@router.get("/residents/me", response_model=MyRecord, summary="The calling resident's own record and household")
async def my_record(session: Session, principal: AnyCaller, now: Now):
    return await service.my_record(session, viewer=principal, today=service.today_of(now))


@router.get("/residents/{resident_id}", response_model=ResidentRead,
            summary="One resident (ID number and phone masked: POST .../reveal shows one); staff reads are audited")
async def get_resident(resident_id: uuid.UUID, session: Session, principal: AnyCaller, now: Now, request: Request):
    return await service.read_resident(session, resident_id=resident_id, viewer=principal,
                                       today=service.today_of(now), endpoint=request.scope.get("route").path)


@router.post("/residents/{resident_id}/reveal", response_model=RevealResponse,
             summary="Reveal one masked field (ID number or phone) with a reason: community staff or the person; "
                     "audited")
async def reveal_field(resident_id: uuid.UUID, body: RevealRequest, session: Session, principal: StaffOrResident,
                       request: Request):
    return await service.reveal_field(session, resident_id=resident_id, viewer=principal, request=body,
                                      endpoint=request.scope.get("route").path)


@router.patch("/residents/{resident_id}", response_model=ResidentRead)
async def update_resident(resident_id: uuid.UUID, body: ResidentUpdate, session: Session, principal: Staff,
                          now: Now):
    resident = await service.update_resident(session, resident_id=resident_id, data=body, actor=principal, now=now)
    return service.resident_view(resident, viewer=principal, today=service.today_of(now))
