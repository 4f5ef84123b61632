"""Use cases of home-safety devices: register one or a whole kit, list, retire."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street
from services.community.devices.models import Device
from services.community.devices.schemas import DeviceCreate, KitCreate
from services.community.integrity import conflict_on_duplicate
from services.community.residents.models import Resident
from services.community.residents.service import get_household, household_member_ids
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, Forbidden, NotFound
from shared.pagination import paginate


async def _check_serials(session: AsyncSession, serials: list[str], field: str) -> None:
    taken = (await session.scalars(select(Device.serial_no).where(Device.serial_no.in_(serials)))).all()
    if taken:
        raise Conflict(f"serial numbers already registered: {', '.join(sorted(taken))}",
                       [FieldError(field, "already registered")])


async def register_device(session: AsyncSession, *, data: DeviceCreate, actor: Principal, now: datetime) -> Device:
    async with unit_of_work(session):
        household = await get_household(session, household_id=data.household_id)
        ensure_street(actor, household.street_code)
        await _check_serials(session, [data.serial_no], "serial_no")
        device = Device(household_id=household.id, street_code=household.street_code,
                        community_code=household.community_code, type=data.type, serial_no=data.serial_no,
                        vendor_code=data.vendor_code, installed_at=data.installed_at or now, status="active")
        with conflict_on_duplicate("serial number already registered", "serial_no"):
            session.add(device)
            await session.flush()
    return device


async def register_kit(session: AsyncSession, *, household_id: uuid.UUID, data: KitCreate, actor: Principal,
                       now: datetime) -> list[Device]:
    async with unit_of_work(session):
        household = await get_household(session, household_id=household_id)
        ensure_street(actor, household.street_code)
        await _check_serials(session, [d.serial_no for d in data.devices], "devices")
        devices = [Device(household_id=household.id, street_code=household.street_code,
                          community_code=household.community_code, type=d.type, serial_no=d.serial_no,
                          vendor_code=data.vendor_code, installed_at=data.installed_at or now, status="active")
                   for d in data.devices]
        with conflict_on_duplicate("serial number already registered", "devices"):
            session.add_all(devices)
            await session.flush()
    return devices


async def get_device(session: AsyncSession, *, device_id: uuid.UUID, for_update: bool = False) -> Device | None:
    return await session.get(Device, device_id, with_for_update=for_update, populate_existing=for_update)


async def read_device(session: AsyncSession, *, device_id: uuid.UUID, viewer: Principal) -> Device:
    device = await get_device(session, device_id=device_id)
    if device is None:
        raise NotFound(f"device {device_id} not found", [FieldError("device_id", "no such device")])
    if not viewer.has_role("admin", "community", "auditor") and (
            device.household_id not in await _my_household(session, viewer)):
        raise Forbidden("only community staff and the household may read its devices")
    return device


async def _my_household(session: AsyncSession, viewer: Principal) -> set[uuid.UUID]:
    members = await household_member_ids(session, viewer=viewer)
    if not members:
        return set()
    return set((await session.scalars(select(Resident.household_id).where(Resident.id.in_(members)))).all())


async def list_devices(session: AsyncSession, *, viewer: Principal, household_id: uuid.UUID | None,
                       type_: str | None, status: str | None, community_code: str | None, limit: int,
                       cursor: str | None):
    stmt = select(Device)
    if not viewer.has_role("admin", "community", "auditor"):
        mine = await _my_household(session, viewer)
        if not mine:
            raise Forbidden("only community staff and households with devices may list them")
        stmt = stmt.where(Device.household_id.in_(mine))
    if household_id:
        stmt = stmt.where(Device.household_id == household_id)
    if type_:
        stmt = stmt.where(Device.type == type_)
    if status:
        stmt = stmt.where(Device.status == status)
    if community_code:
        stmt = stmt.where(Device.community_code == community_code)
    return await paginate(session, stmt, sort_column=Device.created_at, id_column=Device.id, limit=limit,
                          cursor=cursor)


async def retire_device(session: AsyncSession, *, device_id: uuid.UUID, actor: Principal) -> Device:
    async with unit_of_work(session):
        device = await get_device(session, device_id=device_id, for_update=True)
        if device is None:
            raise NotFound(f"device {device_id} not found", [FieldError("device_id", "no such device")])
        ensure_street(actor, device.street_code)
        if device.status != "active":
            raise Conflict("the device is already retired")
        device.status = "retired"
    return device
