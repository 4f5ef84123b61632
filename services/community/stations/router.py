from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from services.community.access import Public, Session, Staff
from services.community.stations import service
from services.community.stations.rules import ServiceName, StationKind, WalkingModel
from services.community.stations.schemas import (
    NearbyResult,
    StationCreate,
    StationPage,
    StationRead,
    StationUpdate,
)
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/stations", tags=["stations"])
Code = Annotated[str | None, Query(min_length=9, max_length=12)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StationRead)
async def create_station(body: StationCreate, session: Session, principal: Staff):
    return await service.create_station(session, data=body, actor=principal)


@router.get("", response_model=StationPage)
async def list_stations(
    session: Session, _: Public, kind: StationKind | None = None, service_: Annotated[
        ServiceName | None, Query(alias="service")] = None,
    street_code: Code = None, community_code: Code = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_stations(session, kind=kind, service=service_, street_code=street_code,
                                                     community_code=community_code, limit=limit, cursor=cursor)
    return StationPage(items=items, next_cursor=next_cursor)


@router.get("/nearby", response_model=NearbyResult,
            summary="Stations within a walk (15 minutes by default) of a point or a household's home, nearest first",
            description="Walking model: great-circle distance × detour factor (1.3) at 66.7 m/min (4 km/h), "
                        "so 15 minutes ≈ 1000 m walked ≈ 770 m as the crow flies (GB 50180-2018's 15-minute "
                        "circle). Give `latitude`+`longitude`, or `household_id`; a resident giving neither "
                        "searches from their own home.")
async def nearby(
    request: Request, session: Session, principal: Public, now: Now,
    latitude: Annotated[float | None, Query(ge=-90, le=90)] = None,
    longitude: Annotated[float | None, Query(ge=-180, le=180)] = None,
    household_id: uuid.UUID | None = None,
    minutes: Annotated[float, Query(gt=0, le=60)] = 15,
    service_: Annotated[ServiceName | None, Query(alias="service")] = None,
    kind: StationKind | None = None,
    street_code: Annotated[str | None, Query(min_length=9, max_length=9)] = None,
    include_closed: bool = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
):
    settings = request.app.state.settings
    model = WalkingModel(settings.walking_speed_m_per_min, settings.walking_detour_factor)
    return await service.search_nearby(
        session, viewer=principal, latitude=latitude, longitude=longitude, household_id=household_id,
        minutes=minutes, model=model, service=service_, kind=kind, street_code=street_code,
        include_closed=include_closed, now=now, limit=limit)


@router.get("/{station_id}", response_model=StationRead)
async def get_station(station_id: uuid.UUID, session: Session, _: Public):
    return await service.get_station(session, station_id=station_id)


@router.patch("/{station_id}", response_model=StationRead)
async def update_station(station_id: uuid.UUID, body: StationUpdate, session: Session, principal: Staff):
    return await service.update_station(session, station_id=station_id, data=body, actor=principal)
