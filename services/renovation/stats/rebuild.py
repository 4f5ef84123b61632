"""Recount the running totals from the rows, for data loaded around the use cases (bulk imports, benchmarks):
``python -m services.renovation.stats.rebuild`` (the service's configured database) or ``rebuild(session)``."""

from __future__ import annotations

import asyncio

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.participation.models import Plan, Rating, RatingTally, Vote
from services.renovation.projects.models import Project, ProjectTally
from services.renovation.projects.tallies import contribution
from shared.database import unit_of_work


async def rebuild(session: AsyncSession) -> None:
    async with unit_of_work(session):
        await session.execute(delete(ProjectTally))
        totals: dict[tuple[str, str, int], list[int]] = {}
        async for project in await session.stream_scalars(select(Project).execution_options(yield_per=2000)):
            c = contribution(project)
            row = totals.setdefault((c.street_code, c.status, c.year), [0, 0, 0])
            row[0], row[1], row[2] = row[0] + 1, row[1] + c.area_dm2, row[2] + c.budget_fen
        session.add_all(ProjectTally(street_code=s, status=st, year=y, projects=n, area_dm2=a, budget_fen=b)
                        for (s, st, y), (n, a, b) in totals.items())
        await session.execute(delete(RatingTally))
        by_year: dict[tuple[str, int], list[int]] = {}
        async for street, rated_at, score in await session.stream(
                select(Rating.street_code, Rating.rated_at, Rating.score).execution_options(yield_per=5000)):
            row = by_year.setdefault((street, rated_at.year), [0, 0])
            row[0], row[1] = row[0] + 1, row[1] + score
        session.add_all(RatingTally(street_code=s, year=y, ratings=n, score_sum=t)
                        for (s, y), (n, t) in by_year.items())
        counts = select(func.count()).where(Vote.plan_id == Plan.id).scalar_subquery()
        await session.execute(update(Plan).values(votes_count=counts).execution_options(synchronize_session=False))


async def _main() -> None:
    from services.renovation.settings import Settings
    from shared.database import create_engine, create_session_factory

    engine = create_engine(Settings().database_url)
    try:
        async with create_session_factory(engine)() as session:
            await rebuild(session)
    finally:
        await engine.dispose()
    print("renovation running totals rebuilt")


if __name__ == "__main__":
    asyncio.run(_main())
