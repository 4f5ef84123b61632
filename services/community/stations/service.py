"""Use cases of service stations, and the 15-minute circle search."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street, is_staff
from services.community.integrity import conflict_on_duplicate
from services.community.residents.models import Household
from services.community.residents.service import find_by_ref
from services.community.stations.models import Station, StationService
from services.community.stations.rules import (
    KIND_OF_SPACE,
    WalkingModel,
    distance_m,
    hours_problem,
    is_open,
    services_of,
)
from services.community.stations.schemas import OpeningSpan, StationCreate, StationUpdate
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import FieldError, Forbidden, InvalidInput, NotFound
from shared.locations import check_community, check_coordinates, check_street, street_of
from shared.pagination import paginate


def _hours(spans: list[OpeningSpan]) -> list[dict]:
    problem = hours_problem([s.model_dump() for s in spans])
    if problem:
        raise InvalidInput("opening_hours", problem)
    return [s.model_dump(mode="json") for s in spans]


async def create_station(session: AsyncSession, *, data: StationCreate, actor: Principal) -> Station:
    check_community(data.community_code)
    street = street_of(data.community_code)
    ensure_street(actor, street)
    check_coordinates(data.latitude, data.longitude)
    hours = _hours(data.opening_hours)
    services = services_of(data.kind, data.services)
    if data.meal_price_fen is not None and "canteen" not in services:
        raise InvalidInput("meal_price_fen", "only a station with a canteen has a meal price")
    async with unit_of_work(session):
        station = Station(
            name=data.name, kind=data.kind, street_code=street, community_code=data.community_code,
            address=data.address, latitude=data.latitude, longitude=data.longitude, opening_hours=hours,
            phone=data.phone, area_m2=data.area_m2, meal_price_fen=data.meal_price_fen, status="open",
            service_links=[StationService(service=s) for s in services],
        )
        session.add(station)
    return station


async def open_from_space(session: AsyncSession, *, space_id: uuid.UUID, name: str, service_type: str,
                          street_code: str, community_code: str | None, address: str | None, latitude: float,
                          longitude: float, area_m2: float) -> Station:
    """A space renovation put into service becomes a station (once: the space id is unique here)."""
    existing = await session.scalar(select(Station).where(Station.source_space_id == space_id))
    if existing is not None:
        return existing
    kind = KIND_OF_SPACE.get(service_type, "neighbourhood")
    async with unit_of_work(session):
        station = Station(
            name=name, kind=kind, street_code=street_code, community_code=community_code, address=address,
            latitude=latitude, longitude=longitude, opening_hours=[], area_m2=area_m2, status="open",
            source_space_id=space_id, service_links=[StationService(service=s) for s in services_of(kind, None)],
        )
        with conflict_on_duplicate("this space already opened a station", "space_id"):
            session.add(station)
            await session.flush()
    return station


async def get_station(session: AsyncSession, *, station_id: uuid.UUID, field: str = "station_id",
                      for_update: bool = False) -> Station:
    station = await session.get(Station, station_id, with_for_update=for_update)
    if station is None:
        raise NotFound(f"station {station_id} not found", [FieldError(field, "no such station")])
    return station


async def list_stations(session: AsyncSession, *, kind: str | None, service: str | None, street_code: str | None,
                        community_code: str | None, limit: int, cursor: str | None):
    stmt = select(Station)
    if kind:
        stmt = stmt.where(Station.kind == kind)
    if service:
        stmt = stmt.where(exists().where(StationService.station_id == Station.id, StationService.service == service))
    if street_code:
        stmt = stmt.where(Station.street_code == street_code)
    if community_code:
        stmt = stmt.where(Station.community_code == community_code)
    return await paginate(session, stmt, sort_column=Station.created_at, id_column=Station.id, limit=limit,
                          cursor=cursor)


async def update_station(session: AsyncSession, *, station_id: uuid.UUID, data: StationUpdate,
                         actor: Principal) -> Station:
    changes = data.model_dump(exclude_unset=True)
    for field in ("name", "services", "opening_hours", "status"):
        if field in changes and changes[field] is None:
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        station = await get_station(session, station_id=station_id, for_update=True)
        ensure_street(actor, station.street_code)
        if "opening_hours" in changes:
            changes["opening_hours"] = _hours(data.opening_hours or [])
        if "services" in changes:
            wanted = sorted(set(changes.pop("services")))
            station.service_links = [link for link in station.service_links if link.service in wanted]
            have = set(station.services)
            station.service_links.extend(StationService(service=s) for s in wanted if s not in have)
        price = changes.get("meal_price_fen", station.meal_price_fen)
        if price is not None and "canteen" not in station.services:
            raise InvalidInput("meal_price_fen", "only a station with a canteen has a meal price")
        for field, value in changes.items():
            setattr(station, field, value)
    return station


async def search_nearby(session: AsyncSession, *, viewer: Principal, latitude: float | None,
                        longitude: float | None, household_id: uuid.UUID | None, minutes: float,
                        model: WalkingModel, service: str | None, kind: str | None, street_code: str | None,
                        include_closed: bool, now: datetime, limit: int) -> dict:
    """From a point, a household's home, or (a resident giving neither) the caller's own home."""
    source = "point"
    if latitude is not None or longitude is not None:
        if latitude is None or longitude is None:
            raise InvalidInput("longitude" if longitude is None else "latitude", "give both latitude and longitude")
        if household_id is not None:
            raise InvalidInput("household_id", "give a point or a household, not both")
    else:
        me = await find_by_ref(session, viewer.person_ref) if viewer.person_ref else None
        if household_id is None:
            if me is None:
                raise InvalidInput("latitude", "give latitude and longitude, or household_id")
            household_id = me.household_id
        elif not is_staff(viewer) and (me is None or me.household_id != household_id):
            raise Forbidden("only community staff may search from another household's home")
        latitude, longitude = await origin_of_household(session, household_id=household_id)
        source = "household"
    items = await nearby(session, latitude=latitude, longitude=longitude, minutes=minutes, model=model,
                         service=service, kind=kind, street_code=street_code, include_closed=include_closed,
                         now=now, limit=limit)
    return {
        "origin": {"latitude": latitude, "longitude": longitude, "source": source},
        "walking_model": {
            "minutes": minutes, "speed_m_per_min": model.speed_m_per_min, "detour_factor": model.detour_factor,
            "max_walk_m": round(minutes * model.speed_m_per_min), "max_straight_line_m": round(model.reach_m(minutes)),
            "description": "straight-line (great-circle) distance × detour factor, walked at the given speed",
        },
        "items": items,
    }


async def origin_of_household(session: AsyncSession, *, household_id: uuid.UUID) -> tuple[float, float]:
    household = await session.get(Household, household_id)
    if household is None:
        raise NotFound(f"household {household_id} not found", [FieldError("household_id", "no such household")])
    if household.latitude is None or household.longitude is None:
        raise InvalidInput("household_id", "the household has no location on record")
    return household.latitude, household.longitude


async def nearby(session: AsyncSession, *, latitude: float, longitude: float, minutes: float, model: WalkingModel,
                 service: str | None, kind: str | None, street_code: str | None, include_closed: bool,
                 now: datetime, limit: int) -> list[dict]:
    """Stations within ``minutes`` of walking from the point, nearest first."""
    check_coordinates(latitude, longitude)
    if street_code:
        check_street(street_code)
    radius = model.reach_m(minutes)
    lat_lo, lat_hi, lon_lo, lon_hi = model.box(latitude, longitude, radius)
    stmt = select(Station).where(Station.latitude.between(lat_lo, lat_hi), Station.longitude.between(lon_lo, lon_hi))
    if not include_closed:
        stmt = stmt.where(Station.status == "open")
    if service:
        stmt = stmt.where(exists().where(StationService.station_id == Station.id, StationService.service == service))
    if kind:
        stmt = stmt.where(Station.kind == kind)
    if street_code:
        stmt = stmt.where(Station.street_code == street_code)
    found = []
    for station in (await session.scalars(stmt)).all():
        metres = distance_m(latitude, longitude, station.latitude, station.longitude)
        if metres <= radius:
            found.append((metres, station))
    found.sort(key=lambda pair: (pair[0], str(pair[1].id)))
    return [{**_station_dict(station), "distance_m": round(metres), "walk_minutes": round(model.minutes(metres), 1),
             "open_now": is_open(station.opening_hours, now)}
            for metres, station in found[:limit]]


def _station_dict(station: Station) -> dict:
    return {name: getattr(station, name) for name in (
        "id", "name", "kind", "services", "street_code", "community_code", "address", "latitude", "longitude",
        "opening_hours", "phone", "area_m2", "meal_price_fen", "status", "source_space_id", "created_at")}
