"""The patient's timeline: entries are added inside the use case that caused them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.timeline.models import TimelineEntry
from shared.pagination import paginate


async def record(session: AsyncSession, *, patient_id: uuid.UUID, kind: str, ref_id: uuid.UUID, summary: str,
                 at: datetime, source: str = "chronic_care") -> None:
    """Add an entry unless one for the same (kind, record) exists: a replayed fact is told once."""
    exists = await session.scalar(select(TimelineEntry.id).where(
        TimelineEntry.patient_id == patient_id, TimelineEntry.kind == kind, TimelineEntry.ref_id == ref_id))
    if exists is None:
        session.add(TimelineEntry(patient_id=patient_id, kind=kind, ref_id=ref_id, summary=summary[:300],
                                  occurred_at=at, source=source))


async def list_entries(session: AsyncSession, *, patient_id: uuid.UUID, kind: str | None, limit: int,
                       cursor: str | None) -> tuple[list[TimelineEntry], str | None]:
    stmt = select(TimelineEntry).where(TimelineEntry.patient_id == patient_id)
    if kind:
        stmt = stmt.where(TimelineEntry.kind == kind)
    return await paginate(session, stmt, sort_column=TimelineEntry.occurred_at, id_column=TimelineEntry.id,
                          limit=limit, cursor=cursor, descending=True)
