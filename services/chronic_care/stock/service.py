"""Use cases of a station's own catalogue and stock; ``deliver`` and ``issue`` serve dispensing."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.drugs.service import get_drug
from services.chronic_care.stations.service import get_station, require_station_staff
from services.chronic_care.stats import counters
from services.chronic_care.stock.models import StationDrug, StockMovement
from services.chronic_care.stock.rules import dispensable, is_low
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, NotFound
from shared.pagination import paginate


def view(row: StationDrug) -> dict:
    return {
        "station_id": row.station_id, "drug": row.drug, "in_catalogue": row.in_catalogue,
        "catalogued_at": row.catalogued_at, "catalogued_via": row.catalogued_via,
        "first_ordered_at": row.first_ordered_at, "stock_quantity": row.stock_quantity,
        "low_stock_level": row.low_stock_level,
        "low_stock": row.in_catalogue and is_low(row.stock_quantity, row.low_stock_level),
    }


async def station_drug(session: AsyncSession, station_id: uuid.UUID, drug_id: uuid.UUID, *,
                       for_update: bool = False) -> StationDrug | None:
    stmt = select(StationDrug).where(StationDrug.station_id == station_id, StationDrug.drug_id == drug_id)
    if for_update:
        stmt = stmt.with_for_update(of=StationDrug)  # not the joined drug row
    return await session.scalar(stmt)


async def in_catalogue(session: AsyncSession, station_id: uuid.UUID, drug_id: uuid.UUID) -> bool:
    row = await station_drug(session, station_id, drug_id)
    return bool(row and row.in_catalogue)


async def add_to_catalogue(session: AsyncSession, *, principal: Principal, station_id: uuid.UUID,
                           drug_id: uuid.UUID, low_stock_level: int, now: datetime) -> dict:
    await get_station(session, station_id=station_id)
    await get_drug(session, drug_id=drug_id)
    await require_station_staff(session, principal, station_id)
    async with unit_of_work(session):
        row = await station_drug(session, station_id, drug_id, for_update=True)
        if row is not None and row.in_catalogue:
            raise Conflict("this drug is already in the station's catalogue")
        if row is None:
            row = StationDrug(station_id=station_id, drug_id=drug_id, stock_quantity=0)
            session.add(row)
        row.in_catalogue = True
        row.catalogued_at = now
        # A drug the station first got through an out-of-catalogue order: the figure the seed reports.
        row.catalogued_via = "out_of_catalogue_order" if row.first_ordered_at else "direct"
        if row.catalogued_via == "out_of_catalogue_order":
            await counters.bump(session, station_id=station_id, at=now, name="drugs_added_to_catalogue")
        row.low_stock_level = low_stock_level
        await session.flush()
        await session.refresh(row, ["drug"])
    return view(row)


async def receive_stock(session: AsyncSession, *, principal: Principal, station_id: uuid.UUID,
                        drug_id: uuid.UUID, quantity: int, now: datetime) -> dict:
    await get_station(session, station_id=station_id)
    await require_station_staff(session, principal, station_id)
    async with unit_of_work(session):
        row = await station_drug(session, station_id, drug_id, for_update=True)
        if row is None or not row.in_catalogue:
            raise Conflict("stock is kept for the station's catalogue drugs; add the drug to the catalogue first")
        row.stock_quantity += quantity
        session.add(StockMovement(station_id=station_id, drug_id=drug_id, delta=quantity, reason="receipt",
                                  by=principal.subject, at=now))
    return view(row)


async def set_low_stock_level(session: AsyncSession, *, principal: Principal, station_id: uuid.UUID,
                              drug_id: uuid.UUID, low_stock_level: int) -> dict:
    await require_station_staff(session, principal, station_id)
    async with unit_of_work(session):
        row = await station_drug(session, station_id, drug_id, for_update=True)
        if row is None:
            raise NotFound("the station does not hold this drug")
        row.low_stock_level = low_stock_level
    return view(row)


async def list_station_drugs(session: AsyncSession, *, station_id: uuid.UUID, catalogue_only: bool,
                             low_only: bool, limit: int, cursor: str | None) -> tuple[list[dict], str | None]:
    await get_station(session, station_id=station_id)
    stmt = select(StationDrug).where(StationDrug.station_id == station_id)
    if catalogue_only or low_only:
        stmt = stmt.where(StationDrug.in_catalogue.is_(True))
    if low_only:
        stmt = stmt.where(StationDrug.stock_quantity <= StationDrug.low_stock_level)
    rows, next_cursor = await paginate(session, stmt, sort_column=StationDrug.created_at, id_column=StationDrug.id,
                                       limit=limit, cursor=cursor)
    return [view(r) for r in rows], next_cursor


# --- used by dispensing, inside its transaction -----------------------------------------------------------

async def deliver(session: AsyncSession, *, station_id: uuid.UUID, drug_id: uuid.UUID, quantity: int,
                  ref_id: uuid.UUID, by: str, now: datetime) -> None:
    """An out-of-catalogue order arrived at the station: the station now holds the drug."""
    row = await station_drug(session, station_id, drug_id, for_update=True)
    if row is None:
        row = StationDrug(station_id=station_id, drug_id=drug_id, in_catalogue=False, stock_quantity=0)
        session.add(row)
    if row.first_ordered_at is None:
        row.first_ordered_at = now
    row.stock_quantity += quantity
    session.add(StockMovement(station_id=station_id, drug_id=drug_id, delta=quantity, reason="delivery",
                              ref_id=ref_id, by=by, at=now))


async def issue(session: AsyncSession, *, station_id: uuid.UUID, drug_id: uuid.UUID, wanted: int,
                ref_id: uuid.UUID, by: str, now: datetime) -> tuple[int, bool]:
    """Deduct what can be dispensed of ``wanted``; returns (issued, partial)."""
    row = await station_drug(session, station_id, drug_id, for_update=True)
    issued, partial = dispensable(wanted, row.stock_quantity if row else 0)
    if issued:
        row.stock_quantity -= issued
        session.add(StockMovement(station_id=station_id, drug_id=drug_id, delta=-issued, reason="dispense",
                                  ref_id=ref_id, by=by, at=now))
    return issued, partial
