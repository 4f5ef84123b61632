"""Duty chains and the escalation sweep."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street
from services.community.escalation.models import DutyChain
from services.community.escalation.rules import EscalationPolicy, assignee_at, missed_deadlines
from services.community.feed import service as feed
from services.community.workorders.models import WorkOrder, WorkOrderEscalation
from shared.auth import Principal
from shared.database import unit_of_work
from shared.locations import check_community, street_of

SWEEP_BATCH = 200


async def chain_for(session: AsyncSession, *, community_code: str, policy: EscalationPolicy) -> list[str]:
    levels = await session.scalar(select(DutyChain.levels).where(DutyChain.community_code == community_code))
    return list(levels) if levels else list(policy.default_chain)


async def read_chain(session: AsyncSession, *, community_code: str, policy: EscalationPolicy) -> dict:
    check_community(community_code)
    chain = await session.scalar(select(DutyChain).where(DutyChain.community_code == community_code))
    return {"community_code": community_code, "levels": chain.levels if chain else list(policy.default_chain),
            "ack_limits_seconds": dict(policy.ack_limits), "configured": chain is not None,
            "updated_by": chain.updated_by if chain else None, "updated_at": chain.updated_at if chain else None}


async def set_chain(session: AsyncSession, *, community_code: str, levels: list[str], actor: Principal,
                    policy: EscalationPolicy) -> dict:
    """Applies to orders raised from now on and to the next escalation of open ones."""
    check_community(community_code)
    ensure_street(actor, street_of(community_code))
    async with unit_of_work(session):
        chain = await session.scalar(select(DutyChain).where(DutyChain.community_code == community_code)
                                     .with_for_update())
        if chain is None:
            chain = DutyChain(community_code=community_code, levels=levels, updated_by=actor.subject)
            session.add(chain)
        else:
            chain.levels, chain.updated_by = levels, actor.subject
    return await read_chain(session, community_code=community_code, policy=policy)


async def escalate_overdue(session: AsyncSession, *, now: datetime, policy: EscalationPolicy) -> int:
    """Move every raised order past its acknowledgement deadline up its duty chain; returns how many
    escalations were made. Safe to run in several replicas at once: rows are claimed with SKIP LOCKED, and
    an order acknowledged meanwhile is no longer ``raised``."""
    made = 0
    async with unit_of_work(session):
        orders = (await session.scalars(
            select(WorkOrder).where(WorkOrder.status == "raised", WorkOrder.ack_due_at <= now)
            .order_by(WorkOrder.ack_due_at).limit(SWEEP_BATCH).with_for_update(skip_locked=True))).all()
        chains: dict[str, list[str]] = {}
        for order in orders:
            if order.community_code not in chains:
                chains[order.community_code] = await chain_for(session, community_code=order.community_code,
                                                               policy=policy)
            chain = chains[order.community_code]
            missed, next_due = missed_deadlines(due_at=order.ack_due_at, now=now, limit=policy.limit(order.severity))
            for deadline in missed:
                level = order.escalation_level + 1
                to = assignee_at(chain, level)
                order.escalations.append(WorkOrderEscalation(level=level, from_assignee=order.assignee,
                                                             to_assignee=to, deadline_missed=deadline, at=now))
                order.escalation_level, order.assignee = level, to
                made += 1
            order.ack_due_at = next_due
            await feed.record(session, kind="workorder.escalated", at=now, street_code=order.street_code,
                              community_code=order.community_code, work_order_id=order.id, status=order.status,
                              severity=order.severity, device_type=order.device_type, category=order.category,
                              assignee=order.assignee, escalation_level=order.escalation_level,
                              next_deadline=order.ack_due_at)
    return made
