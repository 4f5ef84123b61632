from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from services.community.access import HouseholdReader, Session, Staff
from services.community.devices import service
from services.community.devices.rules import DeviceType
from services.community.devices.schemas import DeviceCreate, DevicePage, DeviceRead, KitCreate
from shared.clock import Now

router = APIRouter(tags=["home-safety devices"])


@router.post("/devices", status_code=status.HTTP_201_CREATED, response_model=DeviceRead)
async def register_device(body: DeviceCreate, session: Session, principal: Staff, now: Now):
    return await service.register_device(session, data=body, actor=principal, now=now)


@router.post("/households/{household_id}/kit", status_code=status.HTTP_201_CREATED, response_model=list[DeviceRead],
             summary="Register the home-safety kit (安居守护四件套) installed in a household")
async def register_kit(household_id: uuid.UUID, body: KitCreate, session: Session, principal: Staff, now: Now):
    return await service.register_kit(session, household_id=household_id, data=body, actor=principal, now=now)


@router.get("/devices", response_model=DevicePage)
async def list_devices(
    session: Session, principal: HouseholdReader, household_id: uuid.UUID | None = None,
    type_: Annotated[DeviceType | None, Query(alias="type")] = None,
    status_: Annotated[Literal["active", "retired"] | None, Query(alias="status")] = None,
    community_code: Annotated[str | None, Query(min_length=12, max_length=12)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_devices(session, viewer=principal, household_id=household_id,
                                                    type_=type_, status=status_, community_code=community_code,
                                                    limit=limit, cursor=cursor)
    return DevicePage(items=items, next_cursor=next_cursor)


@router.get("/devices/{device_id}", response_model=DeviceRead)
async def get_device(device_id: uuid.UUID, session: Session, principal: HouseholdReader):
    return await service.read_device(session, device_id=device_id, viewer=principal)


@router.post("/devices/{device_id}/retire", response_model=DeviceRead)
async def retire_device(device_id: uuid.UUID, session: Session, principal: Staff):
    return await service.retire_device(session, device_id=device_id, actor=principal)
