"""The seeker tallies (``SeekerTally``): kept by the use cases inside their own transaction, summed by the
overview, rebuilt from the rows after a bulk load (the demo, the benchmark) or to repair them.

On PostgreSQL the upsert locks a tally's row until commit, so registrations and stage changes of one street
queue behind each other for a few milliseconds; a stage change touches its two rows in sorted order, so two
changes cannot deadlock.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.seekers.models import Seeker
from services.jobs.stats.models import SeekerTally


def _year(registered_at: datetime) -> int:
    # UTC, as the overview's year filter on registered_at.
    return registered_at.astimezone(UTC).year


async def _bump(session: AsyncSession, key: tuple[str, str, int], by: int) -> None:
    insert_ = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    street_code, stage, year = key
    stmt = insert_(SeekerTally).values(street_code=street_code, stage=stage, registered_year=year, seekers=by)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=["street_code", "stage", "registered_year"],
        set_={"seekers": SeekerTally.seekers + stmt.excluded.seekers}))


async def seeker_registered(session: AsyncSession, seeker: Seeker) -> None:
    await _bump(session, (seeker.street_code, seeker.stage, _year(seeker.registered_at)), 1)


async def seeker_moved(session: AsyncSession, seeker: Seeker, *, from_stage: str, to_stage: str) -> None:
    year = _year(seeker.registered_at)
    changes = {(seeker.street_code, from_stage, year): -1, (seeker.street_code, to_stage, year): 1}
    for key in sorted(changes):
        await _bump(session, key, changes[key])


async def seekers_by_stage(session: AsyncSession, *, year: int | None,
                           street_code: str | None) -> tuple[Counter, int]:
    """Seekers per stage now, and how many registered in ``year`` (all of them when None)."""
    registered = func.sum(SeekerTally.seekers)
    if year is not None:
        registered = registered.filter(SeekerTally.registered_year == year)
    stmt = select(SeekerTally.stage, func.sum(SeekerTally.seekers), registered).group_by(SeekerTally.stage)
    if street_code:
        stmt = stmt.where(SeekerTally.street_code == street_code)
    stages: Counter = Counter()
    in_year = 0
    for stage, n, n_in_year in (await session.execute(stmt)).all():
        stages[stage] = int(n or 0)
        in_year += int(n_in_year or 0)
    return stages, in_year


async def rebuild(session: AsyncSession) -> int:
    """Replace every tally by a count of the seekers (inside the caller's transaction); the number of rows."""
    counts: Counter = Counter()
    for street_code, stage, registered_at in (await session.execute(
            select(Seeker.street_code, Seeker.stage, Seeker.registered_at))).all():
        counts[(street_code, stage, _year(registered_at))] += 1
    await session.execute(delete(SeekerTally))
    if counts:
        await session.execute(insert(SeekerTally), [
            {"street_code": street, "stage": stage, "registered_year": year, "seekers": n}
            for (street, stage, year), n in counts.items()])
    return len(counts)
