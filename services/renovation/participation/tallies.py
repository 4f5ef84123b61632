"""Running totals of participation the statistics read instead of scanning votes and ratings."""

from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation import tallies
from services.renovation.participation.models import Plan, RatingTally


async def count_new_votes(session: AsyncSession, *, plan_id: uuid.UUID, households: int) -> None:
    if households:
        await session.execute(update(Plan).where(Plan.id == plan_id)
                              .values(votes_count=Plan.votes_count + households)
                              .execution_options(synchronize_session=False))


async def add_rating(session: AsyncSession, *, street_code: str, year: int, ratings: int, score: int) -> None:
    """Add ``ratings`` (±1) worth ``score`` to a street's year."""
    await tallies.add(session, RatingTally, keys={"street_code": street_code, "year": year},
                      increments={"ratings": ratings, "score_sum": score})
