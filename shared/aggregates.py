"""Several one-row aggregate queries sent as one statement.

The statistics endpoints ask a dozen small questions (a count here, two sums there). Each statement costs the
service ~0.4 ms of CPU in SQLAlchemy and asyncpg whatever the database does, which was most of an overview's
cost; cross-joining the one-row answers into a single SELECT keeps the SQL of each question as it was and pays
that overhead once.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select, true
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession


async def one_row_each(session: AsyncSession | AsyncConnection, *queries: Select) -> list[tuple]:
    """Run ``queries`` (each an aggregate returning exactly one row) together; returns their rows in order."""
    parts = [query.subquery(f"q{i}") for i, query in enumerate(queries)]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.join(part, true())  # one row x one row: a cross join of single rows
    row = (await session.execute(select(*(c for part in parts for c in part.c)).select_from(joined))).one()
    return _split(tuple(row), [len(part.c) for part in parts])


def _split(values: tuple, widths: Sequence[int]) -> list[tuple]:
    out, start = [], 0
    for width in widths:
        out.append(values[start:start + width])
        start += width
    return out
