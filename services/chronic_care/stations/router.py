from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from services.chronic_care.deps import Admin, Session
from services.chronic_care.stations import service
from services.chronic_care.stations.schemas import StationCreate, StationPage, StationRead
from shared.auth import Principal, require_roles
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/stations", tags=["stations"])
# Stations are public facts (a name and a place): every role of the platform may read them.
Reader = Annotated[Principal, Depends(require_roles("doctor", "auditor", "resident", "community", "integration"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StationRead)
async def create_station(body: StationCreate, session: Session, _: Admin):
    return await service.create_station(session, data=body)


@router.get("", response_model=StationPage)
async def list_stations(
    session: Session, _: Reader,
    street_code: Annotated[str | None, Query(max_length=12)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_stations(session, street_code=street_code, limit=limit, cursor=cursor)
    return StationPage(items=items, next_cursor=next_cursor)


@router.get("/{station_id}", response_model=StationRead)
async def get_station(station_id: uuid.UUID, session: Session, _: Reader):
    return await service.get_station(session, station_id=station_id)


@router.put("/{station_id}/staff/{subject}", response_model=StationRead)
async def add_staff(station_id: uuid.UUID, subject: Annotated[str, Path(min_length=1, max_length=120)],
                    session: Session, _: Admin):
    return await service.add_staff(session, station_id=station_id, subject=subject)


@router.delete("/{station_id}/staff/{subject}", response_model=StationRead)
async def remove_staff(station_id: uuid.UUID, subject: Annotated[str, Path(min_length=1, max_length=120)],
                       session: Session, _: Admin):
    return await service.remove_staff(session, station_id=station_id, subject=subject)
