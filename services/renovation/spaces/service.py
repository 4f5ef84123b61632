"""Use cases of the idle-space inventory; commissioning tells the community service (an event)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street
from services.renovation.db import outbox
from services.renovation.estates.service import get_estates
from services.renovation.spaces.models import Space
from services.renovation.spaces.rules import allocation_refusal, commission_refusal
from services.renovation.spaces.schemas import SpaceCreate
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.events.contracts.renovation import SpaceCommissionedV1
from shared.locations import check_community, check_coordinates, street_of
from shared.pagination import paginate


async def register_space(session: AsyncSession, *, data: SpaceCreate, actor: Principal,
                         now: datetime | None = None) -> Space:
    now = now or utcnow()
    check_community(data.community_code)
    check_coordinates(data.latitude, data.longitude)
    street = street_of(data.community_code)
    ensure_street(actor, street)
    if data.estate_id is not None:
        (estate,) = await get_estates(session, estate_ids=[data.estate_id], field="estate_id")
        if estate.community_code != data.community_code:
            raise InvalidInput("estate_id", f"the estate is in community {estate.community_code}, "
                                            f"not {data.community_code}")
    async with unit_of_work(session):
        space = Space(**data.model_dump(exclude={"service_type"}), street_code=street, status="identified")
        if data.service_type:
            space.status, space.service_type = "allocated", data.service_type
            space.allocated_at, space.allocated_by = now, actor.subject
        session.add(space)
    return space


async def get_space(session: AsyncSession, *, space_id: uuid.UUID, for_update: bool = False) -> Space:
    space = await session.get(Space, space_id, with_for_update=for_update)
    if space is None:
        raise NotFound(f"space {space_id} not found", [FieldError("space_id", "no such space")])
    return space


async def list_spaces(
    session: AsyncSession, *, status: str | None, service_type: str | None, kind: str | None,
    street_code: str | None, community_code: str | None, limit: int, cursor: str | None,
) -> tuple[list[Space], str | None]:
    stmt = select(Space)
    for column, value in ((Space.status, status), (Space.service_type, service_type), (Space.kind, kind),
                          (Space.street_code, street_code), (Space.community_code, community_code)):
        if value:
            stmt = stmt.where(column == value)
    return await paginate(session, stmt, sort_column=Space.created_at, id_column=Space.id, limit=limit,
                          cursor=cursor)


async def allocate(session: AsyncSession, *, space_id: uuid.UUID, service_type: str, actor: Principal,
                   now: datetime | None = None) -> Space:
    now = now or utcnow()
    async with unit_of_work(session):
        space = await get_space(session, space_id=space_id, for_update=True)
        ensure_street(actor, space.street_code)
        problem = allocation_refusal(space.status)
        if problem:
            raise Conflict(problem)
        space.status, space.service_type = "allocated", service_type
        space.allocated_at, space.allocated_by = now, actor.subject
    return space


async def commission(session: AsyncSession, *, space_id: uuid.UUID, actor: Principal,
                     now: datetime | None = None) -> Space:
    now = now or utcnow()
    async with unit_of_work(session):
        space = await get_space(session, space_id=space_id, for_update=True)
        ensure_street(actor, space.street_code)
        problem = commission_refusal(space.status)
        if problem:
            raise Conflict(problem)
        space.status, space.commissioned_at, space.commissioned_by = "commissioned", now, actor.subject
        await outbox.add(session, SpaceCommissionedV1(
            space_id=space.id, name=space.name, service_type=space.service_type, street_code=space.street_code,
            community_code=space.community_code, address=space.address, latitude=space.latitude,
            longitude=space.longitude, area_m2=space.area_m2, commissioned_at=now))
    return space
