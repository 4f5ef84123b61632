"""Use cases of employers."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.employers.models import Employer
from services.jobs.employers.schemas import EmployerCreate
from services.jobs.integrity import conflict_on_duplicate
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, NotFound
from shared.locations import check_street
from shared.pagination import paginate


async def create_employer(session: AsyncSession, *, data: EmployerCreate) -> Employer:
    check_street(data.street_code)
    if await session.scalar(select(Employer.id).where(Employer.credit_code == data.credit_code)) is not None:
        raise Conflict("an employer with this credit code exists", [FieldError("credit_code", "already exists")])
    with conflict_on_duplicate("an employer with this credit code exists", "credit_code"):
        async with unit_of_work(session):
            employer = Employer(**data.model_dump())
            session.add(employer)
    return employer


async def get_employer(session: AsyncSession, *, employer_id: uuid.UUID, field: str = "employer_id") -> Employer:
    employer = await session.get(Employer, employer_id)
    if employer is None:
        raise NotFound(f"employer {employer_id} not found", [FieldError(field, "no such employer")])
    return employer


async def list_employers(session: AsyncSession, *, street_code: str | None, q: str | None, limit: int,
                         cursor: str | None) -> tuple[list[Employer], str | None]:
    stmt = select(Employer)
    if street_code:
        stmt = stmt.where(Employer.street_code == street_code)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Employer.name.like(f"%{escaped}%", escape="\\"))
    return await paginate(session, stmt, sort_column=Employer.created_at, id_column=Employer.id, limit=limit,
                          cursor=cursor)
