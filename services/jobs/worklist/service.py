"""The officers' worklist: follow-ups due and overdue, seekers nobody has reached lately, and the overdue
picture per caseworker and per street (aggregate SQL, no rows pulled into Python for counting)."""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import scope_street
from services.jobs.placements.models import FollowUp
from services.jobs.placements.rules import days_overdue
from services.jobs.seekers.models import Seeker
from services.jobs.seekers.rules import ACTIVE_STAGES
from services.jobs.seekers.views import shows_identity
from services.jobs.worklist.schemas import (
    FollowUpItem,
    FollowUpWorklist,
    NoContactItem,
    NoContactList,
    OverdueRow,
    OverdueSummary,
)
from shared.auth import Principal
from shared.errors import InvalidInput
from shared.identity import mask_name
from shared.locations import street_name
from shared.pagination import MAX_PAGE_SIZE, paginate

DUE_SOON_DAYS = 7


def _cursor(due_on: date, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{due_on.isoformat()}|{row_id}".encode()).decode().rstrip("=")


def _uncursor(cursor: str) -> tuple[date, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
        day, row_id = raw.split("|")
        return date.fromisoformat(day), uuid.UUID(row_id)
    except Exception as exc:  # a malformed cursor is the client's error, never a 500
        raise InvalidInput("cursor", "is not a cursor this API issued") from exc


def _name(principal: Principal, seeker: Seeker) -> str:
    return seeker.name if shows_identity(principal, seeker) else mask_name(seeker.name)


async def follow_ups(session: AsyncSession, *, principal: Principal, today: date, caseworker: str | None,
                     street_code: str | None, overdue_only: bool, days_ahead: int, limit: int,
                     cursor: str | None) -> FollowUpWorklist:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput("limit", f"must be between 1 and {MAX_PAGE_SIZE}")
    street_code = scope_street(principal, street_code)
    horizon = today - timedelta(days=1) if overdue_only else today + timedelta(days=days_ahead)
    stmt = (select(FollowUp, Seeker).join(Seeker, Seeker.id == FollowUp.seeker_id)
            .where(FollowUp.status == "pending", FollowUp.due_on <= horizon))
    if caseworker:
        stmt = stmt.where(FollowUp.caseworker == caseworker)
    if street_code:
        stmt = stmt.where(FollowUp.street_code == street_code)
    if cursor:
        day, row_id = _uncursor(cursor)
        stmt = stmt.where(or_(FollowUp.due_on > day, and_(FollowUp.due_on == day, FollowUp.id > row_id)))
    rows = (await session.execute(stmt.order_by(FollowUp.due_on, FollowUp.id).limit(limit + 1))).all()
    next_cursor = _cursor(rows[limit - 1][0].due_on, rows[limit - 1][0].id) if len(rows) > limit else None
    items = [FollowUpItem(follow_up_id=f.id, placement_id=f.placement_id, seeker_id=f.seeker_id,
                          seeker_name=_name(principal, s), month=f.month, due_on=f.due_on, overdue=f.due_on < today,
                          days_overdue=days_overdue(f.due_on, today), caseworker=f.caseworker,
                          street_code=f.street_code)
             for f, s in rows[:limit]]
    return FollowUpWorklist(as_of=today, items=items, next_cursor=next_cursor)


def _no_contact(now: datetime, days: int) -> ColumnElement[bool]:
    since = now - timedelta(days=days)
    return and_(Seeker.stage.in_(ACTIVE_STAGES), func.coalesce(Seeker.last_contact_at, Seeker.registered_at) < since)


async def no_contact(session: AsyncSession, *, principal: Principal, now: datetime, days: int,
                     caseworker: str | None, street_code: str | None, limit: int,
                     cursor: str | None) -> NoContactList:
    street_code = scope_street(principal, street_code)
    stmt = select(Seeker).where(_no_contact(now, days))
    if caseworker:
        stmt = stmt.where(Seeker.caseworker == caseworker)
    if street_code:
        stmt = stmt.where(Seeker.street_code == street_code)
    rows, next_cursor = await paginate(session, stmt, sort_column=Seeker.registered_at, id_column=Seeker.id,
                                       limit=limit, cursor=cursor)
    items = [NoContactItem(seeker_id=s.id, seeker_name=_name(principal, s), stage=s.stage, caseworker=s.caseworker,
                           street_code=s.street_code, last_contact_at=s.last_contact_at,
                           days_without_contact=(now - (s.last_contact_at or s.registered_at)).days)
             for s in rows]
    return NoContactList(as_of=now, threshold_days=days, items=items, next_cursor=next_cursor)


async def summary(session: AsyncSession, *, principal: Principal, now: datetime, days: int,
                  street_code: str | None) -> OverdueSummary:
    street_code = scope_street(principal, street_code)
    today = now.date()
    soon = today + timedelta(days=DUE_SOON_DAYS)
    street_filter = FollowUp.street_code == street_code if street_code else true()
    seeker_street = Seeker.street_code == street_code if street_code else true()

    async def follow_up_counts(column) -> dict[str, tuple[int, int]]:
        rows = (await session.execute(
            select(column, func.count().filter(FollowUp.due_on < today),
                   func.count().filter(FollowUp.due_on >= today, FollowUp.due_on <= soon))
            .where(FollowUp.status == "pending", FollowUp.due_on <= soon, street_filter).group_by(column))).all()
        return {key: (overdue, due) for key, overdue, due in rows}

    async def silent_counts(column) -> dict[str, int]:
        rows = (await session.execute(select(column, func.count()).where(_no_contact(now, days), seeker_street)
                                      .group_by(column))).all()
        return dict(rows)

    def merge(fu: dict[str, tuple[int, int]], silent: dict[str, int], named: bool) -> list[OverdueRow]:
        keys = sorted(set(fu) | set(silent))
        rows = [OverdueRow(key=k, name=street_name(k) if named else None, follow_ups_overdue=fu.get(k, (0, 0))[0],
                           follow_ups_due_soon=fu.get(k, (0, 0))[1], seekers_without_contact=silent.get(k, 0))
                for k in keys]
        return sorted(rows, key=lambda r: (-r.follow_ups_overdue, -r.seekers_without_contact, r.key))

    return OverdueSummary(
        as_of=now, threshold_days=days,
        by_caseworker=merge(await follow_up_counts(FollowUp.caseworker), await silent_counts(Seeker.caseworker), False),
        by_street=merge(await follow_up_counts(FollowUp.street_code), await silent_counts(Seeker.street_code), True),
    )

