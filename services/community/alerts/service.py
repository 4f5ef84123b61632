"""The alert use case: a device speaks; a work order opens, or the alert joins the device's open incident."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.alerts.models import Alert
from services.community.alerts.rules import category_of, kind_problem, severity_for, timing_problem
from services.community.alerts.schemas import AlertCreate
from services.community.db import outbox
from services.community.devices.rules import may_post_alert
from services.community.devices.service import get_device
from services.community.escalation.rules import RANK, EscalationPolicy
from services.community.escalation.service import chain_for
from services.community.feed import service as feed
from services.community.figures import service as figures
from services.community.localtime import local_date
from services.community.residents.rules import is_vulnerable
from services.community.residents.service import get_household
from services.community.workorders import service as workorders
from services.community.workorders.models import WorkOrder
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from shared.events.contracts.community import AlertRaisedV1
from shared.pagination import paginate


async def raise_alert(session: AsyncSession, *, device_id: uuid.UUID, data: AlertCreate, actor: Principal,
                      policy: EscalationPolicy, now: datetime) -> dict:
    occurred = data.occurred_at or now
    problem = timing_problem(occurred, now)
    if problem:
        raise InvalidInput("occurred_at", problem)
    async with unit_of_work(session):
        # The device row lock serialises alerts of one device: two at once cannot both open an order.
        device = await get_device(session, device_id=device_id, for_update=True)
        if device is None or not may_post_alert(actor, device_id=device_id, vendor_code=device.vendor_code):
            if device is None and actor.has_role("admin", "community"):
                raise NotFound(f"device {device_id} not found", [FieldError("device_id", "no such device")])
            # A key learns nothing about devices that are not its own, not even whether they exist.
            raise Forbidden("this key may not post alerts for that device")
        if device.status != "active":
            raise Conflict("the device is retired")
        problem = kind_problem(device.type, data.kind)
        if problem:
            raise InvalidInput("kind", problem)
        if data.vendor_alert_id:
            earlier = await session.scalar(select(Alert).where(Alert.device_id == device.id,
                                                               Alert.vendor_alert_id == data.vendor_alert_id))
            if earlier is not None:
                return _receipt(earlier, opened=False, replayed=True)
        household = await get_household(session, household_id=device.household_id)
        today = local_date(now)
        vulnerable = any(is_vulnerable(birth=m.birth_date, today=today, lives_alone=m.lives_alone,
                                       disabled=m.disabled) for m in household.members)
        category = category_of(data.kind)
        severity = severity_for(device.type, data.kind, vulnerable=vulnerable)
        alert = Alert(device_id=device.id, household_id=device.household_id, street_code=device.street_code,
                      community_code=device.community_code, device_type=device.type, kind=data.kind,
                      severity=severity, occurred_at=occurred, received_at=now, vendor_alert_id=data.vendor_alert_id,
                      repeat=False, posted_by=actor.subject)
        device.last_alert_at = now
        opened = False
        if category is not None:
            order = await workorders.find_open(session, device_id=device.id, category=category)
            if order is not None:
                alert.repeat = True
                _join(order, severity=severity, policy=policy, now=now)
            else:
                chain = await chain_for(session, community_code=device.community_code, policy=policy)
                order = await workorders.open_work_order(session, device=device, category=category,
                                                         severity=severity, chain=chain, policy=policy, now=now)
                opened = True
            alert.work_order_id = order.id
        session.add(alert)
        await session.flush()
        if opened:
            await outbox.add(session, AlertRaisedV1(
                alert_id=alert.id, work_order_id=alert.work_order_id, device_id=device.id, device_type=device.type,
                severity=severity, household_id=household.id, person_refs=[m.person_ref for m in household.members],
                street_code=device.street_code, community_code=device.community_code, raised_at=now))
        await feed.record(session, kind="alert.repeated" if alert.repeat else "alert.raised", at=now,
                          street_code=device.street_code, community_code=device.community_code, alert_id=alert.id,
                          work_order_id=alert.work_order_id, device_type=device.type, kind_of_alert=data.kind,
                          severity=severity)
        # The overview's running totals, last and always in this order (see figures.service).
        for metric in ("alerts", f"alerts.{device.type}", *(("work_orders.raised",) if opened else ())):
            await figures.bump(session, at=now, street_code=device.street_code, metric=metric)
    return _receipt(alert, opened=opened)


def _join(order: WorkOrder, *, severity: str, policy: EscalationPolicy, now: datetime) -> None:
    """A repeat alert joins the open incident: counted, and a worse one raises the order's severity (an
    unacknowledged order then gets the tighter deadline of its new severity)."""
    order.alert_count += 1
    order.last_alert_at = now
    if RANK[severity] > RANK[order.severity]:
        order.severity = severity
        if order.status == "raised" and order.ack_due_at is not None:
            order.ack_due_at = min(order.ack_due_at, now + policy.limit(severity))


def _receipt(alert: Alert, *, opened: bool, replayed: bool = False) -> dict:
    return {"alert_id": alert.id, "work_order_id": alert.work_order_id, "opened_work_order": opened,
            "repeat": alert.repeat, "replayed": replayed, "severity": alert.severity}


async def list_alerts(session: AsyncSession, *, work_order_id: uuid.UUID | None, device_id: uuid.UUID | None,
                      community_code: str | None, received_from: datetime | None, limit: int, cursor: str | None):
    stmt = select(Alert)
    if work_order_id:
        stmt = stmt.where(Alert.work_order_id == work_order_id)
    if device_id:
        stmt = stmt.where(Alert.device_id == device_id)
    if community_code:
        stmt = stmt.where(Alert.community_code == community_code)
    if received_from:
        stmt = stmt.where(Alert.received_at >= received_from)
    return await paginate(session, stmt, sort_column=Alert.received_at, id_column=Alert.id, limit=limit,
                          cursor=cursor, descending=True)


