"""Use cases of the shared canteen: order (priced and subsidised at once), serve, cancel."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street, is_staff
from services.community.canteen.models import MealOrder
from services.community.canteen.rules import cut_off, ordering_refusal, price_meal
from services.community.canteen.schemas import MealOrderCreate
from services.community.figures import service as figures
from services.community.integrity import conflict_on_duplicate
from services.community.localtime import local_date
from services.community.residents.rules import age_on
from services.community.residents.service import acting_for, household_member_ids
from services.community.stations.service import get_station
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from shared.pagination import paginate


async def order_meal(session: AsyncSession, *, data: MealOrderCreate, actor: Principal, now: datetime) -> MealOrder:
    refusal = ordering_refusal(meal_date=data.meal_date, meal=data.meal, now=now, today=local_date(now))
    if refusal:
        raise InvalidInput("meal_date", refusal)
    async with unit_of_work(session):
        eater = await acting_for(session, viewer=actor, resident_id=data.resident_id, now=now)
        station = await get_station(session, station_id=data.station_id)
        if "canteen" not in station.services or station.meal_price_fen is None:
            raise InvalidInput("station_id", f"{station.name} has no canteen taking orders")
        if station.status != "open":
            raise Conflict(f"{station.name} is closed")
        if await session.scalar(select(MealOrder.id).where(
                MealOrder.resident_id == eater.id, MealOrder.meal_date == data.meal_date,
                MealOrder.meal == data.meal, MealOrder.status != "cancelled")):
            raise Conflict("this person already has that meal ordered", [FieldError("meal", "already ordered")])
        price = price_meal(price_fen=station.meal_price_fen, age=age_on(eater.birth_date, data.meal_date),
                           low_income=eater.low_income)
        order = MealOrder(station_id=station.id, resident_id=eater.id, person_ref=eater.person_ref,
                          street_code=station.street_code, meal_date=data.meal_date, meal=data.meal,
                          price_fen=price.price_fen, subsidy_fen=price.subsidy_fen, payable_fen=price.payable_fen,
                          subsidy_band=price.band, status="ordered", ordered_by=actor.subject, ordered_at=now)
        with conflict_on_duplicate("this person already has that meal ordered", "meal"):
            session.add(order)
            await session.flush()
        await figures.bump(session, at=order.meal_date, street_code=order.street_code, metric="meals.ordered")
    return order


async def _get_for_update(session: AsyncSession, order_id: uuid.UUID) -> MealOrder:
    order = await session.get(MealOrder, order_id, with_for_update=True)
    if order is None:
        raise NotFound(f"meal order {order_id} not found", [FieldError("order_id", "no such order")])
    return order


async def serve(session: AsyncSession, *, order_id: uuid.UUID, actor: Principal, now: datetime) -> MealOrder:
    async with unit_of_work(session):
        order = await _get_for_update(session, order_id)
        ensure_street(actor, order.street_code)
        if order.status != "ordered":
            raise Conflict(f"a {order.status} order cannot be served")
        if local_date(now) != order.meal_date:
            raise Conflict(f"the meal is for {order.meal_date}, not today")
        order.status, order.served_at = "served", now
        await figures.bump(session, at=order.meal_date, street_code=order.street_code, metric="meals.served")
        await figures.bump(session, at=order.meal_date, street_code=order.street_code, metric="meals.subsidy_fen",
                           by=order.subsidy_fen)
    return order


async def cancel(session: AsyncSession, *, order_id: uuid.UUID, actor: Principal, now: datetime) -> MealOrder:
    async with unit_of_work(session):
        order = await _get_for_update(session, order_id)
        if not is_staff(actor) and order.resident_id not in await household_member_ids(session, viewer=actor):
            raise Forbidden("a resident cancels only their own household's meals")
        if order.status != "ordered":
            raise Conflict(f"a {order.status} order cannot be cancelled")
        if now >= cut_off(order.meal_date, order.meal):
            raise Conflict("the kitchen has closed orders for that meal")
        order.status, order.cancelled_at = "cancelled", now
        await figures.bump(session, at=order.meal_date, street_code=order.street_code, metric="meals.ordered", by=-1)
    return order


async def list_orders(session: AsyncSession, *, station_id: uuid.UUID | None, meal_date: date | None,
                      meal: str | None, status: str | None, limit: int, cursor: str | None):
    stmt = select(MealOrder)
    if station_id:
        stmt = stmt.where(MealOrder.station_id == station_id)
    if meal_date:
        stmt = stmt.where(MealOrder.meal_date == meal_date)
    if meal:
        stmt = stmt.where(MealOrder.meal == meal)
    if status:
        stmt = stmt.where(MealOrder.status == status)
    return await paginate(session, stmt, sort_column=MealOrder.ordered_at, id_column=MealOrder.id, limit=limit,
                          cursor=cursor, descending=True)


async def my_orders(session: AsyncSession, *, viewer: Principal, limit: int, cursor: str | None):
    members = await household_member_ids(session, viewer=viewer)
    if not members:
        return [], None
    stmt = select(MealOrder).where(MealOrder.resident_id.in_(members))
    return await paginate(session, stmt, sort_column=MealOrder.ordered_at, id_column=MealOrder.id, limit=limit,
                          cursor=cursor, descending=True)
