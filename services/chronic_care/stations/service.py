"""Use cases of health stations and their staff."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.stations.models import Station, StationStaff
from services.chronic_care.stations.schemas import StationCreate
from shared.areas import xiaoshan
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.pagination import paginate

_SUBJECT_MAX = 120


def _check_location(street_code: str, community_code: str | None) -> None:
    problem = xiaoshan().check(street_code, level="street")
    if problem:
        raise InvalidInput("street_code", problem)
    if community_code:
        problem = xiaoshan().check(community_code, level="community", within=street_code)
        if problem:
            raise InvalidInput("community_code", problem)


async def create_station(session: AsyncSession, *, data: StationCreate) -> Station:
    _check_location(data.street_code, data.community_code)
    for subject in data.staff:
        if not subject.strip() or len(subject) > _SUBJECT_MAX:
            raise InvalidInput("staff", "each subject must be 1 to 120 characters")
    async with unit_of_work(session):
        if await session.scalar(select(Station.id).where(Station.code == data.code)):
            raise Conflict(f"a station with code {data.code!r} exists")
        station = Station(code=data.code, name=data.name, street_code=data.street_code,
                          community_code=data.community_code,
                          staff=[StationStaff(subject=s) for s in sorted(set(data.staff))])
        session.add(station)
    return station


async def get_station(session: AsyncSession, *, station_id: uuid.UUID) -> Station:
    station = await session.get(Station, station_id)
    if station is None:
        raise NotFound(f"station {station_id} not found")
    return station


async def list_stations(session: AsyncSession, *, street_code: str | None, limit: int,
                        cursor: str | None) -> tuple[list[Station], str | None]:
    stmt = select(Station)
    if street_code:
        stmt = stmt.where(Station.street_code == street_code)
    return await paginate(session, stmt, sort_column=Station.code, id_column=Station.id, limit=limit, cursor=cursor)


async def add_staff(session: AsyncSession, *, station_id: uuid.UUID, subject: str) -> Station:
    if not subject.strip() or len(subject) > _SUBJECT_MAX:
        raise InvalidInput("subject", "must be 1 to 120 characters")
    async with unit_of_work(session):
        station = await get_station(session, station_id=station_id)
        if all(member.subject != subject for member in station.staff):
            station.staff.append(StationStaff(subject=subject))
    return station


async def remove_staff(session: AsyncSession, *, station_id: uuid.UUID, subject: str) -> Station:
    async with unit_of_work(session):
        station = await get_station(session, station_id=station_id)
        member = next((m for m in station.staff if m.subject == subject), None)
        if member is None:
            raise NotFound(f"{subject!r} is not on the staff of this station")
        station.staff.remove(member)
    return station


async def stations_of(session: AsyncSession, subject: str) -> set[uuid.UUID]:
    """The stations ``subject`` works at (the reach of a doctor's care)."""
    rows = await session.scalars(select(StationStaff.station_id).where(StationStaff.subject == subject))
    return set(rows)


async def require_station_staff(session: AsyncSession, principal: Principal, station_id: uuid.UUID) -> None:
    """Station work (stock, dispensing) is done by the station's own staff, or an administrator."""
    if principal.is_admin:
        return
    if not principal.has_role("doctor") or station_id not in await stations_of(session, principal.subject):
        raise Forbidden("only the staff of this station may do this")
