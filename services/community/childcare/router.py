from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status

from services.community.access import Public, Reader, Session, Staff, StaffOrResident
from services.community.childcare import service
from services.community.childcare.schemas import BookingCreate, BookingPage, BookingRead, SlotCreate, SlotPage, SlotRead
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from shared.query_types import IsoDateTime

router = APIRouter(prefix="/childcare", tags=["childcare"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.post("/slots", status_code=status.HTTP_201_CREATED, response_model=SlotRead)
async def create_slot(body: SlotCreate, session: Session, principal: Staff):
    return await service.create_slot(session, data=body, actor=principal)


@router.get("/slots", response_model=SlotPage)
async def list_slots(session: Session, _: Public, station_id: uuid.UUID | None = None,
                     starts_from: IsoDateTime | None = None, starts_before: IsoDateTime | None = None,
                     with_places: bool = False, limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_slots(session, station_id=station_id, starts_from=starts_from,
                                                  starts_before=starts_before, with_places=with_places, limit=limit,
                                                  cursor=cursor)
    return SlotPage(items=items, next_cursor=next_cursor)


@router.get("/slots/{slot_id}", response_model=SlotRead)
async def get_slot(slot_id: uuid.UUID, session: Session, _: Public):
    return await service.get_slot(session, slot_id=slot_id)


@router.post("/slots/{slot_id}/cancel", response_model=SlotRead)
async def cancel_slot(slot_id: uuid.UUID, session: Session, principal: Staff, now: Now):
    return await service.cancel_slot(session, slot_id=slot_id, actor=principal, now=now)


@router.post("/slots/{slot_id}/bookings", status_code=status.HTTP_201_CREATED, response_model=BookingRead)
async def book(slot_id: uuid.UUID, body: BookingCreate, session: Session, principal: StaffOrResident, now: Now):
    return await service.book(session, slot_id=slot_id, resident_id=body.resident_id, actor=principal, now=now)


@router.get("/slots/{slot_id}/bookings", response_model=BookingPage)
async def list_bookings(slot_id: uuid.UUID, session: Session, _: Reader, limit: Limit = DEFAULT_PAGE_SIZE,
                        cursor: Cursor = None):
    items, next_cursor = await service.list_bookings(session, slot_id=slot_id, limit=limit, cursor=cursor)
    return BookingPage(items=items, next_cursor=next_cursor)


@router.get("/bookings/mine", response_model=BookingPage, summary="The caller's household's childcare bookings")
async def my_bookings(session: Session, principal: StaffOrResident, limit: Limit = DEFAULT_PAGE_SIZE,
                      cursor: Cursor = None):
    items, next_cursor = await service.my_bookings(session, viewer=principal, limit=limit, cursor=cursor)
    return BookingPage(items=items, next_cursor=next_cursor)


@router.post("/bookings/{booking_id}/{verb}", response_model=BookingRead,
             summary="cancel (family or staff, before the start); check-in or no-show (staff)")
async def change_booking(booking_id: uuid.UUID, verb: Literal["cancel", "check-in", "no-show"], session: Session,
                         principal: StaffOrResident, now: Now):
    return await service.change_booking(session, booking_id=booking_id, verb=verb.replace("-", "_"),
                                        actor=principal, now=now)
