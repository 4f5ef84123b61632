from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from services.jobs.access import Config, Officer, Reader, Session, scope_street
from services.jobs.households import service
from services.jobs.households.rules import HouseholdStatus
from services.jobs.households.schemas import EmploymentUpdate, HouseholdCreate, HouseholdPage, HouseholdRead
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit, StreetCode
from shared.clock import Now

router = APIRouter(prefix="/households", tags=["zero-employment households"])
MemberRef = Annotated[str, Path(pattern=r"^pr_[0-9a-f]{32}$")]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=HouseholdRead,
             summary="Register a household; it is flagged at once when no working-age member works")
async def register(body: HouseholdCreate, session: Session, principal: Officer, now: Now, config: Config):
    household = await service.register_household(session, data=body, actor=principal, now=now,
                                                 ref_key=config.person_ref_key.get_secret_value())
    return service.to_read(household, now.date())


@router.get("", response_model=HouseholdPage)
async def list_households(session: Session, principal: Reader, now: Now,
                          status_: Annotated[HouseholdStatus | None, Query(alias="status")] = None,
                          street_code: StreetCode = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    rows, next_cursor = await service.list_households(
        session, status=status_, street_code=scope_street(principal, street_code), limit=limit, cursor=cursor)
    return HouseholdPage(items=[service.to_read(h, now.date()) for h in rows], next_cursor=next_cursor)


@router.get("/{household_id}", response_model=HouseholdRead)
async def get_household(household_id: uuid.UUID, session: Session, principal: Reader, now: Now):
    household = await service.get_household(session, household_id=household_id)
    scope_street(principal, household.street_code)
    return service.to_read(household, now.date())


@router.put("/{household_id}/members/{person_ref}/employment", response_model=HouseholdRead,
            summary="Record a member's work found or lost outside the centre's placements")
async def set_employment(household_id: uuid.UUID, person_ref: MemberRef, body: EmploymentUpdate, session: Session,
                         principal: Officer, now: Now):
    household = await service.set_member_employment(session, household_id=household_id, member_ref=person_ref,
                                                    data=body, actor=principal, now=now)
    return service.to_read(household, now.date())
