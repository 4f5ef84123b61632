"""Use cases of work orders: opened by an alert, moved round the loop by staff, escalated by the sweep."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street
from services.community.db import outbox
from services.community.devices.models import Device
from services.community.escalation.rules import EscalationPolicy, assignee_at
from services.community.feed import service as feed
from services.community.figures import service as figures
from services.community.workorders.models import WorkOrder, WorkOrderStep
from services.community.workorders.rules import OPEN, refusal, seconds_between, target
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, Forbidden, NotFound
from shared.events.contracts.community import WorkOrderResolvedV1
from shared.pagination import paginate


async def open_work_order(session: AsyncSession, *, device: Device, category: str, severity: str,
                          chain: Sequence[str], policy: EscalationPolicy, now: datetime) -> WorkOrder:
    """Inside the alert's transaction: the order, its first step and its acknowledgement deadline."""
    order = WorkOrder(
        device_id=device.id, household_id=device.household_id, street_code=device.street_code,
        community_code=device.community_code, device_type=device.type, category=category, severity=severity,
        status="raised", assignee=assignee_at(chain, 0), escalation_level=0,
        ack_due_at=now + policy.limit(severity), raised_at=now, alert_count=1, last_alert_at=now,
        steps=[WorkOrderStep(from_status=None, to_status="raised", by="device", at=now)], escalations=[],
    )
    session.add(order)
    await session.flush()
    await _to_feed(session, order, "workorder.raised", now)
    return order


async def find_open(session: AsyncSession, *, device_id: uuid.UUID, category: str) -> WorkOrder | None:
    return await session.scalar(select(WorkOrder).where(
        WorkOrder.device_id == device_id, WorkOrder.category == category, WorkOrder.status.in_(OPEN))
        .with_for_update())


async def get_work_order(session: AsyncSession, *, order_id: uuid.UUID, for_update: bool = False) -> WorkOrder:
    order = await session.get(WorkOrder, order_id, with_for_update=for_update, populate_existing=for_update)
    if order is None:
        raise NotFound(f"work order {order_id} not found", [FieldError("order_id", "no such work order")])
    return order


async def list_work_orders(session: AsyncSession, *, status: str | None, open_only: bool, severity: str | None,
                           assignee: str | None, community_code: str | None, street_code: str | None,
                           household_id: uuid.UUID | None, limit: int, cursor: str | None):
    stmt = select(WorkOrder)
    if status:
        stmt = stmt.where(WorkOrder.status == status)
    if open_only:
        stmt = stmt.where(WorkOrder.status.in_(OPEN))
    if severity:
        stmt = stmt.where(WorkOrder.severity == severity)
    if assignee:
        stmt = stmt.where(WorkOrder.assignee == assignee)
    if community_code:
        stmt = stmt.where(WorkOrder.community_code == community_code)
    if street_code:
        stmt = stmt.where(WorkOrder.street_code == street_code)
    if household_id:
        stmt = stmt.where(WorkOrder.household_id == household_id)
    return await paginate(session, stmt, sort_column=WorkOrder.raised_at, id_column=WorkOrder.id, limit=limit,
                          cursor=cursor, descending=True)


async def move(session: AsyncSession, *, order_id: uuid.UUID, verb: str, actor: Principal, now: datetime,
               note: str | None = None, responder: str | None = None, resolution: str | None = None,
               rating: int | None = None) -> WorkOrder:
    """One step round the loop; an illegal step is a 409 and changes nothing."""
    async with unit_of_work(session):
        order = await get_work_order(session, order_id=order_id, for_update=True)
        ensure_street(actor, order.street_code)
        reason = refusal(order.status, verb, resolution=resolution)
        if reason:
            raise Conflict(reason)
        if verb == "review" and order.resolved_by == actor.subject:
            raise Forbidden("the officer who resolved a work order does not review it")
        previous_at = order.steps[-1].at if order.steps else order.raised_at
        to = target(verb)
        if verb == "acknowledge":
            order.acknowledged_at, order.acknowledged_by = now, actor.subject
            order.seconds_to_acknowledge = seconds_between(order.raised_at, now)
            order.assignee, order.ack_due_at = actor.subject, None  # whoever acknowledges owns it; no more escalation
        elif verb == "dispatch":
            order.dispatched_at, order.responder = now, responder
        elif verb == "arrive":
            order.on_site_at = now
        elif verb == "resolve":
            order.resolved_at, order.resolved_by = now, actor.subject
            order.seconds_to_resolve = seconds_between(order.raised_at, now)
            order.resolution, order.resolution_note = resolution, note
        elif verb == "review":
            order.reviewed_at, order.reviewed_by, order.review_rating, order.review_note = (
                now, actor.subject, rating, note)
        order.steps.append(WorkOrderStep(from_status=order.status, to_status=to, by=actor.subject, at=now,
                                         seconds_in_previous=seconds_between(previous_at, now), note=note))
        order.status = to
        await _to_feed(session, order, f"workorder.{to}", now)
        await _count(session, order, verb)
        if to == "resolved":
            await outbox.add(session, WorkOrderResolvedV1(
                work_order_id=order.id, household_id=order.household_id, severity=order.severity, resolved_at=now,
                seconds_to_acknowledge=order.seconds_to_acknowledge, seconds_to_resolve=order.seconds_to_resolve))
    return order


async def assign(session: AsyncSession, *, order_id: uuid.UUID, assignee: str, actor: Principal,
                 now: datetime) -> WorkOrder:
    """Hand an open order to someone; an unacknowledged order's deadline keeps running."""
    async with unit_of_work(session):
        order = await get_work_order(session, order_id=order_id, for_update=True)
        ensure_street(actor, order.street_code)
        if order.status not in OPEN:
            raise Conflict(f"a {order.status} work order is closed")
        order.assignee = assignee
        await _to_feed(session, order, "workorder.assigned", now, by=actor.subject)
    return order


async def _count(session: AsyncSession, order: WorkOrder, verb: str) -> None:
    """The overview's running totals, kept by the month the order was raised in (the year filter's date)."""
    bumps = {"acknowledge": (("work_orders.ack_seconds", order.seconds_to_acknowledge),
                             ("work_orders.acknowledged", 1)),
             "resolve": (("work_orders.resolve_seconds", order.seconds_to_resolve), ("work_orders.resolved", 1)),
             "review": (("work_orders.reviewed", 1),)}.get(verb, ())
    for metric, by in bumps:
        await figures.bump(session, at=order.raised_at, street_code=order.street_code, metric=metric, by=by or 0)


async def _to_feed(session: AsyncSession, order: WorkOrder, kind: str, now: datetime, **extra) -> None:
    await feed.record(session, kind=kind, at=now, street_code=order.street_code,
                      community_code=order.community_code, work_order_id=order.id, status=order.status,
                      severity=order.severity, device_type=order.device_type, category=order.category,
                      assignee=order.assignee, escalation_level=order.escalation_level, **extra)


def view(order: WorkOrder) -> dict:
    data = {column.key: getattr(order, column.key) for column in WorkOrder.__table__.columns
            if column.key not in ("created_at", "updated_at")}
    data["steps"], data["escalations"] = order.steps, order.escalations
    return data
