"""Running totals (counters) that statistics read instead of scanning large tables.

Each is kept by the use cases inside their own transaction, so it is exactly as current as the rows it
counts. ``add`` is an upsert (INSERT ... ON CONFLICT DO UPDATE) on both backends: two transactions
creating the same counter row at once both land.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def add(session: AsyncSession, model: type, *, keys: dict[str, Any], increments: dict[str, int]) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(model).values(**keys, **increments)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=[getattr(model, k) for k in keys],
        set_={name: getattr(model, name) + getattr(stmt.excluded, name) for name in increments}))
