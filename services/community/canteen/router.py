from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from services.community.access import Reader, Session, Staff, StaffOrResident
from services.community.canteen import service
from services.community.canteen.rules import Meal
from services.community.canteen.schemas import MealOrderCreate, MealOrderPage, MealOrderRead
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from shared.query_types import IsoDate

OrderStatus = Literal["ordered", "served", "cancelled"]
router = APIRouter(prefix="/meal-orders", tags=["shared canteen"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=MealOrderRead,
             summary="Order a meal; the elderly subsidy is applied at once (integer fen)")
async def order_meal(body: MealOrderCreate, session: Session, principal: StaffOrResident, now: Now):
    return await service.order_meal(session, data=body, actor=principal, now=now)


@router.get("", response_model=MealOrderPage)
async def list_orders(session: Session, _: Reader, station_id: uuid.UUID | None = None,
                      meal_date: IsoDate | None = None,
                      meal: Meal | None = None,
                      status_: Annotated[OrderStatus | None, Query(alias="status")] = None,
                      limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_orders(session, station_id=station_id, meal_date=meal_date, meal=meal,
                                                   status=status_, limit=limit, cursor=cursor)
    return MealOrderPage(items=items, next_cursor=next_cursor)


@router.get("/mine", response_model=MealOrderPage, summary="The caller's household's meal orders")
async def my_orders(session: Session, principal: StaffOrResident, limit: Limit = DEFAULT_PAGE_SIZE,
                    cursor: Cursor = None):
    items, next_cursor = await service.my_orders(session, viewer=principal, limit=limit, cursor=cursor)
    return MealOrderPage(items=items, next_cursor=next_cursor)


@router.post("/{order_id}/serve", response_model=MealOrderRead)
async def serve(order_id: uuid.UUID, session: Session, principal: Staff, now: Now):
    return await service.serve(session, order_id=order_id, actor=principal, now=now)


@router.post("/{order_id}/cancel", response_model=MealOrderRead)
async def cancel(order_id: uuid.UUID, session: Session, principal: StaffOrResident, now: Now):
    return await service.cancel(session, order_id=order_id, actor=principal, now=now)
