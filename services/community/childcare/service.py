"""Use cases of childcare slots and bookings. A booking locks its slot row first: no over-booking."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street, is_staff
from services.community.childcare.models import ChildcareBooking, ChildcareSlot
from services.community.childcare.rules import TRANSITIONS, age_refusal, booking_refusal
from services.community.childcare.schemas import SlotCreate
from services.community.integrity import conflict_on_duplicate
from services.community.localtime import local_date
from services.community.residents.rules import age_in_months
from services.community.residents.service import acting_for, household_member_ids
from services.community.stations.service import get_station
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from shared.pagination import paginate


async def create_slot(session: AsyncSession, *, data: SlotCreate, actor: Principal) -> ChildcareSlot:
    station = await get_station(session, station_id=data.station_id)
    if "childcare" not in station.services:
        raise InvalidInput("station_id", f"{station.name} offers no childcare")
    ensure_street(actor, station.street_code)
    async with unit_of_work(session):
        slot = ChildcareSlot(station_id=station.id, street_code=station.street_code,
                             community_code=station.community_code, starts_at=data.starts_at, ends_at=data.ends_at,
                             capacity=data.capacity, booked_count=0, min_age_months=data.min_age_months,
                             max_age_months=data.max_age_months, status="open", created_by=actor.subject)
        session.add(slot)
    return slot


async def get_slot(session: AsyncSession, *, slot_id: uuid.UUID, for_update: bool = False) -> ChildcareSlot:
    slot = await session.get(ChildcareSlot, slot_id, with_for_update=for_update, populate_existing=for_update)
    if slot is None:
        raise NotFound(f"slot {slot_id} not found", [FieldError("slot_id", "no such slot")])
    return slot


async def list_slots(session: AsyncSession, *, station_id: uuid.UUID | None, starts_from: datetime | None,
                     starts_before: datetime | None, with_places: bool, limit: int, cursor: str | None):
    stmt = select(ChildcareSlot)
    if station_id:
        stmt = stmt.where(ChildcareSlot.station_id == station_id)
    if starts_from:
        stmt = stmt.where(ChildcareSlot.starts_at >= starts_from)
    if starts_before:
        stmt = stmt.where(ChildcareSlot.starts_at < starts_before)
    if with_places:
        stmt = stmt.where(ChildcareSlot.status == "open", ChildcareSlot.booked_count < ChildcareSlot.capacity)
    return await paginate(session, stmt, sort_column=ChildcareSlot.starts_at, id_column=ChildcareSlot.id,
                          limit=limit, cursor=cursor)


async def cancel_slot(session: AsyncSession, *, slot_id: uuid.UUID, actor: Principal, now: datetime) -> ChildcareSlot:
    """Cancelling a session cancels its bookings (families see it in their bookings)."""
    async with unit_of_work(session):
        slot = await get_slot(session, slot_id=slot_id, for_update=True)
        ensure_street(actor, slot.street_code)
        if slot.status != "open":
            raise Conflict(f"the slot is already {slot.status}")
        if now >= slot.starts_at:
            raise Conflict("the slot has started")
        for booking in (await session.scalars(select(ChildcareBooking).where(
                ChildcareBooking.slot_id == slot.id, ChildcareBooking.status == "booked"))).all():
            booking.status, booking.cancelled_at = "cancelled", now
        slot.status, slot.booked_count = "cancelled", 0
    return slot


async def book(session: AsyncSession, *, slot_id: uuid.UUID, resident_id: uuid.UUID | None, actor: Principal,
               now: datetime) -> ChildcareBooking:
    async with unit_of_work(session):
        child = await acting_for(session, viewer=actor, resident_id=resident_id, now=now)
        slot = await get_slot(session, slot_id=slot_id, for_update=True)
        refusal = booking_refusal(slot_status=slot.status, starts_at=slot.starts_at, now=now,
                                  places_left=slot.places_left)
        if refusal:
            raise Conflict(refusal)
        too = age_refusal(age_in_months(child.birth_date, local_date(slot.starts_at)), slot.min_age_months,
                          slot.max_age_months)
        if too:
            raise InvalidInput("resident_id", too)
        clash = await session.scalar(
            select(ChildcareBooking.id).join(ChildcareSlot, ChildcareSlot.id == ChildcareBooking.slot_id).where(
                ChildcareBooking.resident_id == child.id, ChildcareBooking.status == "booked",
                ChildcareSlot.starts_at < slot.ends_at, ChildcareSlot.ends_at > slot.starts_at))
        if clash:
            raise Conflict("the child is already booked at that time", [FieldError("resident_id", "double booking")])
        booking = ChildcareBooking(slot_id=slot.id, resident_id=child.id, person_ref=child.person_ref,
                                   status="booked", booked_at=now, booked_by=actor.subject)
        slot.booked_count += 1
        with conflict_on_duplicate("the child is already booked on this slot", "resident_id"):
            session.add(booking)
            await session.flush()
    return booking


async def change_booking(session: AsyncSession, *, booking_id: uuid.UUID, verb: str, actor: Principal,
                         now: datetime) -> ChildcareBooking:
    """cancel (family or staff, before the start), check_in or no_show (staff, once it has started)."""
    async with unit_of_work(session):
        found = await session.get(ChildcareBooking, booking_id)
        if found is None:
            raise NotFound(f"booking {booking_id} not found", [FieldError("booking_id", "no such booking")])
        if verb != "cancel" and not is_staff(actor):
            raise Forbidden("only childcare staff record attendance")
        if not is_staff(actor) and found.resident_id not in await household_member_ids(session, viewer=actor):
            raise Forbidden("a resident acts only for their own household")
        slot = await get_slot(session, slot_id=found.slot_id, for_update=True)
        booking = await session.get(ChildcareBooking, booking_id, with_for_update=True, populate_existing=True)
        target = TRANSITIONS.get((booking.status, verb))
        if target is None:
            raise Conflict(f"cannot {verb.replace('_', '-')} a {booking.status} booking")
        if verb == "cancel":
            if now >= slot.starts_at:
                raise Conflict("the slot has started; it is an attendance or a no-show now")
            slot.booked_count -= 1
            booking.cancelled_at = now
        else:
            if is_staff(actor):
                ensure_street(actor, slot.street_code)
            if now < slot.starts_at:
                raise Conflict("attendance is recorded once the slot has started")
            booking.checked_in_at = now if verb == "check_in" else None
        booking.status = target
    return booking


async def list_bookings(session: AsyncSession, *, slot_id: uuid.UUID, limit: int, cursor: str | None):
    await get_slot(session, slot_id=slot_id)
    stmt = select(ChildcareBooking).where(ChildcareBooking.slot_id == slot_id)
    return await paginate(session, stmt, sort_column=ChildcareBooking.booked_at, id_column=ChildcareBooking.id,
                          limit=limit, cursor=cursor)


async def my_bookings(session: AsyncSession, *, viewer: Principal, limit: int, cursor: str | None):
    members = await household_member_ids(session, viewer=viewer)
    if not members:
        return [], None
    stmt = select(ChildcareBooking).where(ChildcareBooking.resident_id.in_(members))
    return await paginate(session, stmt, sort_column=ChildcareBooking.booked_at, id_column=ChildcareBooking.id,
                          limit=limit, cursor=cursor, descending=True)
