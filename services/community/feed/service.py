"""The live feed: rows written with each change, read by streams and pollers, pruned by age."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.feed.hub import mark
from services.community.feed.models import FeedEvent


def _plain(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


async def record(session: AsyncSession, *, kind: str, at: datetime, street_code: str | None,
                 community_code: str | None, **data) -> None:
    """Inside the caller's transaction: the feed shows the change only if it commits."""
    await session.execute(insert(FeedEvent).values(
        at=at, kind=kind, street_code=street_code, community_code=community_code,
        data={k: _plain(v) for k, v in data.items()}))
    mark(session)


async def read_after(session: AsyncSession, *, after: int, community_code: str | None, street_code: str | None,
                     limit: int) -> list[FeedEvent]:
    stmt = select(FeedEvent).where(FeedEvent.seq > after)
    if community_code:
        stmt = stmt.where(FeedEvent.community_code == community_code)
    if street_code:
        stmt = stmt.where(FeedEvent.street_code == street_code)
    return list((await session.scalars(stmt.order_by(FeedEvent.seq).limit(limit))).all())


async def read_new(session: AsyncSession, *, after: int, missing: list[int], limit: int) -> list[FeedEvent]:
    """Rows above ``after`` or among ``missing`` (numbers a cursor is still waiting for), in order."""
    condition = FeedEvent.seq > after
    if missing:
        condition = or_(condition, FeedEvent.seq.in_(missing))
    return list((await session.scalars(select(FeedEvent).where(condition).order_by(FeedEvent.seq)
                                       .limit(limit))).all())


async def last_seq(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(FeedEvent.seq), 0))) or 0)


async def prune(session: AsyncSession, *, before: datetime) -> int:
    async with session.begin():
        result = await session.execute(delete(FeedEvent).where(FeedEvent.at < before))
    return result.rowcount or 0


def as_message(row: FeedEvent) -> dict:
    return {"seq": row.seq, "at": row.at, "kind": row.kind, "street_code": row.street_code,
            "community_code": row.community_code, "data": row.data}
