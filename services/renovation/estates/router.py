from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from services.renovation.access import AnyUser, Reader, Resident, Session, Staff, resident_ref
from services.renovation.estates import service
from services.renovation.estates.schemas import (
    EstateCreate,
    EstatePage,
    EstateRead,
    EstateUpdate,
    HouseholdCreate,
    HouseholdPage,
    HouseholdRead,
    MemberAdd,
    MyHousehold,
)
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(tags=["estates"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]
PersonRefPath = Annotated[str, Path(pattern=r"^pr_[0-9a-f]{32}$")]


@router.post("/estates", status_code=status.HTTP_201_CREATED, response_model=EstateRead)
async def create_estate(body: EstateCreate, session: Session, principal: Staff):
    return await service.create_estate(session, data=body, actor=principal)


@router.get("/estates", response_model=EstatePage, summary="Search estates (public register)")
async def list_estates(
    session: Session, _: AnyUser,
    q: Annotated[str | None, Query(max_length=100, description="Part of the estate's name")] = None,
    street_code: Annotated[str | None, Query(max_length=12)] = None,
    community_code: Annotated[str | None, Query(max_length=12)] = None,
    built_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    built_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None,
):
    items, next_cursor = await service.list_estates(
        session, q=q, street_code=street_code, community_code=community_code, built_from=built_from,
        built_to=built_to, limit=limit, cursor=cursor)
    return EstatePage(items=items, next_cursor=next_cursor)


@router.get("/estates/{estate_id}", response_model=EstateRead)
async def get_estate(estate_id: uuid.UUID, session: Session, _: AnyUser):
    return await service.get_estate(session, estate_id=estate_id)


@router.patch("/estates/{estate_id}", response_model=EstateRead)
async def update_estate(estate_id: uuid.UUID, body: EstateUpdate, session: Session, principal: Staff):
    return await service.update_estate(session, estate_id=estate_id, data=body, actor=principal)


@router.post("/estates/{estate_id}/households", status_code=status.HTTP_201_CREATED, response_model=HouseholdRead)
async def add_household(estate_id: uuid.UUID, body: HouseholdCreate, session: Session, principal: Staff):
    return await service.add_household(session, estate_id=estate_id, data=body, actor=principal)


@router.get("/estates/{estate_id}/households", response_model=HouseholdPage)
async def list_households(estate_id: uuid.UUID, session: Session, _: Reader, limit: Limit = DEFAULT_PAGE_SIZE,
                          cursor: Cursor = None):
    items, next_cursor = await service.list_households(session, estate_id=estate_id, limit=limit, cursor=cursor)
    return HouseholdPage(items=items, next_cursor=next_cursor)


@router.post("/households/{household_id}/members", response_model=HouseholdRead)
async def add_member(household_id: uuid.UUID, body: MemberAdd, session: Session, principal: Staff):
    return await service.add_member(session, household_id=household_id, person_ref=body.person_ref,
                                    actor=principal)


@router.delete("/households/{household_id}/members/{person_ref}", response_model=HouseholdRead)
async def remove_member(household_id: uuid.UUID, person_ref: PersonRefPath, session: Session, principal: Staff):
    return await service.remove_member(session, household_id=household_id, person_ref=person_ref,
                                       actor=principal)


@router.get("/me/households", response_model=list[MyHousehold], summary="The caller's own registered households")
async def my_households(session: Session, principal: Resident):
    return await service.households_of(session, person_ref=resident_ref(principal))
