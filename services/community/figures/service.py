"""Running monthly totals for the overview: bumped with each change, rebuilt from the rows when needed.

Bumps run inside the caller's transaction, so a total never counts a change that did not commit. On
PostgreSQL the upsert locks the total's row until commit: changes counted by the same row queue behind each
other for a few milliseconds (each use case bumps its rows in one fixed order, so they cannot deadlock).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.alerts.models import Alert
from services.community.canteen.models import MealOrder
from services.community.figures.models import MonthlyFigure
from services.community.localtime import local_date
from services.community.workorders.models import WorkOrder


def month_of(moment: datetime | date) -> date:
    day = local_date(moment) if isinstance(moment, datetime) else moment
    return day.replace(day=1)


async def bump(session: AsyncSession, *, at: datetime | date, street_code: str, metric: str, by: int = 1) -> None:
    insert_ = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    stmt = insert_(MonthlyFigure).values(month=month_of(at), street_code=street_code, metric=metric, value=by)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=["month", "street_code", "metric"], set_={"value": MonthlyFigure.value + stmt.excluded.value}))


async def totals(session: AsyncSession, *, year: int | None, street_code: str | None) -> Counter:
    stmt = select(MonthlyFigure.metric, func.sum(MonthlyFigure.value)).group_by(MonthlyFigure.metric)
    if year is not None:
        stmt = stmt.where(MonthlyFigure.month >= date(year, 1, 1), MonthlyFigure.month <= date(year, 12, 1))
    if street_code:
        stmt = stmt.where(MonthlyFigure.street_code == street_code)
    return Counter({metric: int(value or 0) for metric, value in (await session.execute(stmt)).all()})


async def rebuild(session: AsyncSession) -> int:
    """Recompute every total from the rows (after a bulk load, or to repair); inside the caller's transaction.
    Reads rows in Python: a maintenance path, not the overview's."""
    counts: Counter = Counter()
    for received, street, device_type in (await session.execute(
            select(Alert.received_at, Alert.street_code, Alert.device_type))).all():
        counts[(month_of(received), street, "alerts")] += 1
        counts[(month_of(received), street, f"alerts.{device_type}")] += 1
    for raised, street, ack, resolve, reviewed in (await session.execute(select(
            WorkOrder.raised_at, WorkOrder.street_code, WorkOrder.seconds_to_acknowledge,
            WorkOrder.seconds_to_resolve, WorkOrder.reviewed_at))).all():
        key = (month_of(raised), street)
        counts[(*key, "work_orders.raised")] += 1
        if ack is not None:
            counts[(*key, "work_orders.acknowledged")] += 1
            counts[(*key, "work_orders.ack_seconds")] += ack
        if resolve is not None:
            counts[(*key, "work_orders.resolved")] += 1
            counts[(*key, "work_orders.resolve_seconds")] += resolve
        if reviewed is not None:
            counts[(*key, "work_orders.reviewed")] += 1
    for day, street, status, subsidy in (await session.execute(select(
            MealOrder.meal_date, MealOrder.street_code, MealOrder.status, MealOrder.subsidy_fen))).all():
        if status != "cancelled":
            counts[(month_of(day), street, "meals.ordered")] += 1
        if status == "served":
            counts[(month_of(day), street, "meals.served")] += 1
            counts[(month_of(day), street, "meals.subsidy_fen")] += subsidy
    await session.execute(delete(MonthlyFigure))
    if counts:
        await session.execute(insert(MonthlyFigure), [
            {"month": month, "street_code": street, "metric": metric, "value": value}
            for (month, street, metric), value in counts.items()])
    return len(counts)
