"""Use cases of refills and out-of-catalogue orders; stock moves in the same transaction as each step."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.deps import ORDERS_SCOPE
from services.chronic_care.dispensing.models import Dispensation, Refill, RefillStep
from services.chronic_care.dispensing.rules import DISPENSABLE, PLATFORM_ACTIONS, after_issue, next_status, start
from services.chronic_care.dispensing.schemas import RefillCreate
from services.chronic_care.drugs.models import Drug
from services.chronic_care.patients.access import is_care_staff, is_self, readable_patient, visible_patient_ids
from services.chronic_care.patients.consent import ensure_consent
from services.chronic_care.patients.models import Patient
from services.chronic_care.stations.service import require_station_staff
from services.chronic_care.stats import counters
from services.chronic_care.stock import service as stock
from services.chronic_care.timeline import service as timeline
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound
from shared.pagination import paginate


def _step(refill: Refill, to_status: str, by: str, at: datetime) -> None:
    refill.steps.append(RefillStep(from_status=refill.status, to_status=to_status, by=by, at=at))
    refill.status = to_status


async def _load(session: AsyncSession, refill_id: uuid.UUID, *, for_update: bool = False) -> Refill:
    refill = await session.get(Refill, refill_id, with_for_update=for_update)
    if refill is None:
        raise NotFound(f"refill {refill_id} not found")
    return refill


async def request_refill(session: AsyncSession, *, principal: Principal, data: RefillCreate, now: datetime,
                         idempotency_key: str | None = None) -> tuple[Refill, bool]:
    patient = await session.get(Patient, data.patient_id)
    if patient is None:
        raise NotFound(f"patient {data.patient_id} not found")
    if not (is_self(principal, patient) or await is_care_staff(session, principal, patient)):
        raise Forbidden("refills are requested by the patient or the patient's care staff")
    if idempotency_key:
        earlier = await session.scalar(select(Refill).where(Refill.requested_by == principal.subject,
                                                            Refill.idempotency_key == idempotency_key))
        if earlier is not None:
            if (earlier.patient_id, earlier.drug_id, earlier.quantity) != (data.patient_id, data.drug_id,
                                                                           data.quantity):
                raise Conflict("this Idempotency-Key was used for a different refill")
            return earlier, False
    if await session.get(Drug, data.drug_id) is None:
        raise InvalidInput("drug_id", "no such drug in the district catalogue")
    await ensure_consent(session, patient, what="a refill")
    if patient.status != "active":
        raise Conflict("this patient is no longer in care here")
    path, status = start(await stock.in_catalogue(session, patient.station_id, data.drug_id))
    async with unit_of_work(session):
        refill = Refill(
            id=uuid.uuid4(), patient_id=patient.id, station_id=patient.station_id, drug_id=data.drug_id,
            quantity=data.quantity, dispensed_quantity=0, path=path, status=status, note=data.note,
            requested_by=principal.subject, idempotency_key=idempotency_key, requested_at=now,
            steps=[RefillStep(from_status=None, to_status=status, by=principal.subject, at=now)], dispensations=[],
        )
        session.add(refill)
        await session.flush()
        await session.refresh(refill, ["drug"])
        if path == "out_of_catalogue":
            await counters.bump(session, station_id=refill.station_id, at=now, name="out_of_catalogue_orders")
        what = "Refill requested" if path == "in_catalogue" else "Out-of-catalogue order placed"
        await timeline.record(session, patient_id=patient.id, kind="refill", ref_id=refill.id,
                              summary=f"{what}: {refill.drug.generic_name} {refill.drug.strength} x{data.quantity}",
                              at=now)
    return refill, True


async def transition(session: AsyncSession, *, principal: Principal, refill_id: uuid.UUID, action: str,
                     now: datetime, reason: str | None = None, delivered: int | None = None) -> Refill:
    refill = await _load(session, refill_id)
    if action in PLATFORM_ACTIONS:
        # The district platform decides on orders: its operators (admin) or its integration, never the requester.
        if not (principal.is_admin or principal.has_scope(ORDERS_SCOPE)):
            raise Forbidden("orders are approved on the district platform")
        if principal.subject == refill.requested_by:
            raise Forbidden("an order is approved by someone other than its requester")
    elif action == "deliver":
        if not principal.has_scope(ORDERS_SCOPE):
            await require_station_staff(session, principal, refill.station_id)
    else:  # cancel
        patient = await session.get(Patient, refill.patient_id)
        if not (is_self(principal, patient) or await is_care_staff(session, principal, patient)):
            raise Forbidden("a refill is cancelled by the patient or the patient's care staff")
    async with unit_of_work(session):
        await session.refresh(refill, with_for_update={"of": Refill})
        target = next_status(refill.status, action)
        if target is None:
            raise Conflict(f"cannot {action} a refill that is {refill.status}")
        _step(refill, target, principal.subject, now)
        if action == "approve":
            refill.approved_at, refill.approved_by = now, principal.subject
        elif action == "reject":
            refill.rejected_reason, refill.closed_at = reason, now
        elif action == "cancel":
            refill.closed_at = now
        elif action == "deliver":
            refill.delivered_at, refill.delivered_quantity = now, delivered or refill.quantity
            await stock.deliver(session, station_id=refill.station_id, drug_id=refill.drug_id,
                                quantity=refill.delivered_quantity, ref_id=refill.id, by=principal.subject, now=now)
    return refill


async def dispense(session: AsyncSession, *, principal: Principal, refill_id: uuid.UUID, quantity: int | None,
                   now: datetime) -> Refill:
    refill = await _load(session, refill_id)
    await require_station_staff(session, principal, refill.station_id)
    await ensure_consent(session, await session.get(Patient, refill.patient_id), what="a dispensation")
    async with unit_of_work(session):
        await session.refresh(refill, with_for_update={"of": Refill})
        if refill.status not in DISPENSABLE:
            raise Conflict(f"cannot dispense a refill that is {refill.status}")
        owed = refill.quantity - refill.dispensed_quantity
        wanted = quantity or owed
        if wanted > owed:
            raise InvalidInput("quantity", f"only {owed} still to dispense")
        issued, _ = await stock.issue(session, station_id=refill.station_id, drug_id=refill.drug_id, wanted=wanted,
                                      ref_id=refill.id, by=principal.subject, now=now)
        if issued == 0:
            raise Conflict("the station has none of this drug in stock")
        refill.dispensed_quantity += issued
        target = after_issue(refill.dispensed_quantity, refill.quantity)
        dispensation = Dispensation(
            id=uuid.uuid4(), refill_id=refill.id, patient_id=refill.patient_id, station_id=refill.station_id,
            drug_id=refill.drug_id,
            quantity=issued, partial=target != "dispensed", out_of_catalogue=refill.path == "out_of_catalogue",
            dispensed_at=now, dispensed_by=principal.subject,
        )
        refill.dispensations.append(dispensation)
        await counters.bump(session, station_id=refill.station_id, at=now, name="dispensing_services")
        if dispensation.partial:
            await counters.bump(session, station_id=refill.station_id, at=now, name="partial_dispensings")
        await counters.bump_drug(session, station_id=refill.station_id, at=now, drug_id=refill.drug_id,
                                 out_of_catalogue=dispensation.out_of_catalogue)
        refill.first_dispensed_at = refill.first_dispensed_at or now
        if target != refill.status or target == "partially_dispensed":
            _step(refill, target, principal.subject, now)
        if target == "dispensed":
            refill.dispensed_at = refill.closed_at = now
        await timeline.record(
            session, patient_id=refill.patient_id, kind="dispensed", ref_id=dispensation.id,
            summary=f"Dispensed {refill.drug.generic_name} {refill.drug.strength} x{issued}"
                    + (f" (partial, {refill.quantity - refill.dispensed_quantity} still owed)"
                       if target != "dispensed" else ""),
            at=now)
    return refill


async def get_refill(session: AsyncSession, *, principal: Principal, refill_id: uuid.UUID) -> Refill:
    refill = await _load(session, refill_id)
    await readable_patient(session, principal, refill.patient_id)
    return refill


async def list_refills(session: AsyncSession, *, principal: Principal, patient_id: uuid.UUID | None,
                       station_id: uuid.UUID | None, status: str | None, path: str | None, limit: int,
                       cursor: str | None):
    stmt = select(Refill).where(Refill.patient_id.in_(await visible_patient_ids(session, principal)))
    if patient_id:
        stmt = stmt.where(Refill.patient_id == patient_id)
    if station_id:
        stmt = stmt.where(Refill.station_id == station_id)
    if status:
        stmt = stmt.where(Refill.status == status)
    if path:
        stmt = stmt.where(Refill.path == path)
    return await paginate(session, stmt, sort_column=Refill.requested_at, id_column=Refill.id, limit=limit,
                          cursor=cursor, descending=True)


async def list_orders(session: AsyncSession, *, principal: Principal, station_id: uuid.UUID | None,
                      status: str | None, limit: int, cursor: str | None):
    """The district platform's queue of out-of-catalogue orders (no patient in it)."""
    if not (principal.is_admin or principal.has_scope(ORDERS_SCOPE)):
        if station_id is None:
            raise Forbidden("the order queue is read by the district platform, or by a station's staff "
                            "for its station")
        await require_station_staff(session, principal, station_id)
    stmt = select(Refill).where(Refill.path == "out_of_catalogue")
    if station_id:
        stmt = stmt.where(Refill.station_id == station_id)
    if status:
        stmt = stmt.where(Refill.status == status)
    return await paginate(session, stmt, sort_column=Refill.requested_at, id_column=Refill.id, limit=limit,
                          cursor=cursor)
