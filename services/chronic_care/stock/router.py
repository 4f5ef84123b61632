from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from services.chronic_care.deps import Now, Session
from services.chronic_care.stock import service
from services.chronic_care.stock.schemas import (
    CatalogueAdd,
    StationDrugPage,
    StationDrugRead,
    StockReceipt,
    StockUpdate,
)
from shared.auth import Principal, require_roles
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/stations/{station_id}", tags=["station catalogue and stock"])
Staff = Annotated[Principal, Depends(require_roles("doctor"))]
Reader = Annotated[Principal, Depends(require_roles("doctor", "auditor"))]


@router.get("/drugs", response_model=StationDrugPage, summary="The station's catalogue and stock")
async def list_station_drugs(
    station_id: uuid.UUID, session: Session, _: Reader,
    catalogue_only: bool = False,
    low_stock: Annotated[bool, Query(description="Only catalogue drugs at or under their low-stock level")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
    items, next_cursor = await service.list_station_drugs(session, station_id=station_id,
                                                          catalogue_only=catalogue_only, low_only=low_stock,
                                                          limit=limit, cursor=cursor)
    return {"items": items, "next_cursor": next_cursor}


@router.post("/catalogue", status_code=status.HTTP_201_CREATED, response_model=StationDrugRead,
             summary="Add a drug to the station's catalogue (e.g. one first got through an order)")
async def add_to_catalogue(station_id: uuid.UUID, body: CatalogueAdd, session: Session, principal: Staff, now: Now):
    return await service.add_to_catalogue(session, principal=principal, station_id=station_id,
                                          drug_id=body.drug_id, low_stock_level=body.low_stock_level, now=now)


@router.post("/stock-receipts", response_model=StationDrugRead, summary="Stock received for a catalogue drug")
async def receive_stock(station_id: uuid.UUID, body: StockReceipt, session: Session, principal: Staff, now: Now):
    return await service.receive_stock(session, principal=principal, station_id=station_id, drug_id=body.drug_id,
                                       quantity=body.quantity, now=now)


@router.patch("/drugs/{drug_id}", response_model=StationDrugRead)
async def update_station_drug(station_id: uuid.UUID, drug_id: uuid.UUID, body: StockUpdate, session: Session,
                              principal: Staff):
    return await service.set_low_stock_level(session, principal=principal, station_id=station_id, drug_id=drug_id,
                                             low_stock_level=body.low_stock_level)
