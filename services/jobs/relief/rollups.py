"""Keep the relief rollups in step with approvals (inside the approval's transaction), race-free by upsert."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.relief.models import ReliefEnterpriseYear, ReliefRollup


def _insert(session: AsyncSession):
    return pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert


async def count_approval(session: AsyncSession, *, year: int, street_code: str, kind: str, amount_fen: int,
                         employer_id: uuid.UUID) -> None:
    insert = _insert(session)
    stmt = insert(ReliefRollup).values(year=year, street_code=street_code, kind=kind, records=1, amount_fen=amount_fen)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=["year", "street_code", "kind"],
        set_={"records": ReliefRollup.records + 1, "amount_fen": ReliefRollup.amount_fen + amount_fen}))
    await session.execute(insert(ReliefEnterpriseYear).values(year=year, employer_id=employer_id,
                                                               street_code=street_code).on_conflict_do_nothing())
