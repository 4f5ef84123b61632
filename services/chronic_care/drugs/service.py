"""Use cases of the district drug catalogue."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.drugs.models import Drug
from services.chronic_care.drugs.schemas import DrugCreate
from shared.database import unit_of_work
from shared.errors import Conflict, NotFound
from shared.pagination import paginate


async def create_drug(session: AsyncSession, *, data: DrugCreate) -> Drug:
    async with unit_of_work(session):
        clash = await session.scalar(select(Drug.id).where(or_(
            Drug.code == data.code,
            (Drug.generic_name == data.generic_name) & (Drug.form == data.form) & (Drug.strength == data.strength),
        )))
        if clash:
            raise Conflict("the catalogue already has this code, or this drug in this form and strength")
        drug = Drug(**data.model_dump())
        session.add(drug)
    return drug


async def get_drug(session: AsyncSession, *, drug_id: uuid.UUID) -> Drug:
    drug = await session.get(Drug, drug_id)
    if drug is None:
        raise NotFound(f"drug {drug_id} not found")
    return drug


async def list_drugs(session: AsyncSession, *, q: str | None, limit: int,
                     cursor: str | None) -> tuple[list[Drug], str | None]:
    stmt = select(Drug)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(Drug.generic_name.like(pattern, escape="\\"), Drug.code.like(pattern, escape="\\")))
    return await paginate(session, stmt, sort_column=Drug.code, id_column=Drug.id, limit=limit, cursor=cursor)
