"""Use cases of home-visit tasks: requested (by staff or by another area's event), assigned, done."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street
from services.community.db import outbox
from services.community.feed import service as feed
from services.community.residents.service import find_by_ref, get_resident
from services.community.visits.models import VisitRequest, VisitTask
from services.community.visits.rules import OPEN, due_at, folded, refusal
from services.community.visits.schemas import VisitCreate
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, NotFound
from shared.events.contracts.community import VisitCompletedV1
from shared.pagination import paginate


async def request_visit(session: AsyncSession, *, person_ref: str, reason: str, priority: str, source: str,
                        by: str, now: datetime, source_event_id: uuid.UUID | None = None,
                        street_code: str | None = None, community_code: str | None = None,
                        due: datetime | None = None, assignee: str | None = None,
                        note: str | None = None) -> VisitTask:
    """A visit for ``person_ref``: joins the person's open visit if there is one (more urgent if need be),
    else opens one. Asked twice by the same event, it changes nothing the second time."""
    async with unit_of_work(session):
        if source_event_id is not None:
            earlier = await session.scalar(select(VisitRequest).where(VisitRequest.source_event_id == source_event_id))
            if earlier is not None:
                return await session.get(VisitTask, earlier.task_id)
        deadline = due or due_at(priority, now)
        request = VisitRequest(source=source, source_event_id=source_event_id, reason=reason, priority=priority,
                               at=now, by=by)
        task = await session.scalar(select(VisitTask).where(VisitTask.person_ref == person_ref,
                                                            VisitTask.status.in_(OPEN)).with_for_update())
        if task is not None:
            task.priority, task.due_at = folded(priority=task.priority, due=task.due_at, new_priority=priority,
                                                new_due=deadline)
            task.request_count += 1
            task.requests.append(request)
            return task
        resident = await find_by_ref(session, person_ref)
        task = VisitTask(
            person_ref=person_ref, resident_id=resident.id if resident else None,
            household_id=resident.household_id if resident else None,
            street_code=resident.street_code if resident else street_code,
            community_code=resident.community_code if resident else community_code,
            reason=reason, priority=priority, due_at=deadline, status="assigned" if assignee else "open",
            assignee=assignee, note=note, created_by=by, request_count=1, requests=[request])
        session.add(task)
        await session.flush()
        await feed.record(session, kind="visit.created", at=now, street_code=task.street_code,
                          community_code=task.community_code, visit_id=task.id, reason=reason, priority=priority,
                          due_at=deadline)
    return task


async def create_visit(session: AsyncSession, *, data: VisitCreate, actor: Principal, now: datetime) -> VisitTask:
    resident = await get_resident(session, resident_id=data.resident_id)
    ensure_street(actor, resident.street_code)
    return await request_visit(session, person_ref=resident.person_ref, reason=data.reason, priority=data.priority,
                               source="staff", by=actor.subject, now=now, due=data.due_at, assignee=data.assignee,
                               note=data.note)


async def get_visit(session: AsyncSession, *, visit_id: uuid.UUID, for_update: bool = False) -> VisitTask:
    task = await session.get(VisitTask, visit_id, with_for_update=for_update, populate_existing=for_update)
    if task is None:
        raise NotFound(f"visit {visit_id} not found", [FieldError("visit_id", "no such visit")])
    return task


async def list_visits(session: AsyncSession, *, status: str | None, open_only: bool, assignee: str | None,
                      person_ref: str | None, community_code: str | None, limit: int, cursor: str | None):
    stmt = select(VisitTask)
    if status:
        stmt = stmt.where(VisitTask.status == status)
    if open_only:
        stmt = stmt.where(VisitTask.status.in_(OPEN))
    if assignee:
        stmt = stmt.where(VisitTask.assignee == assignee)
    if person_ref:
        stmt = stmt.where(VisitTask.person_ref == person_ref)
    if community_code:
        stmt = stmt.where(VisitTask.community_code == community_code)
    return await paginate(session, stmt, sort_column=VisitTask.due_at, id_column=VisitTask.id, limit=limit,
                          cursor=cursor)


async def change_visit(session: AsyncSession, *, visit_id: uuid.UUID, verb: str, actor: Principal, now: datetime,
                       assignee: str | None = None, outcome: str | None = None, note: str | None = None) -> VisitTask:
    async with unit_of_work(session):
        task = await get_visit(session, visit_id=visit_id, for_update=True)
        if task.street_code:
            ensure_street(actor, task.street_code)
        reason = refusal(task.status, verb)
        if reason:
            raise Conflict(reason)
        if verb == "assign":
            task.status, task.assignee = "assigned", assignee
            return task
        task.status = "done" if verb == "complete" else "cancelled"
        task.completed_at, task.completed_by = now, actor.subject
        if note:
            task.note = note if not task.note else f"{task.note}\n{note}"
        if verb == "complete":
            task.outcome = outcome
            asked_by = [r.source_event_id for r in task.requests if r.source_event_id is not None]
            await outbox.add(session, VisitCompletedV1(
                visit_id=task.id, person_ref=task.person_ref, outcome=outcome,
                source_event_id=asked_by[-1] if asked_by else None, completed_at=now))
        await feed.record(session, kind=f"visit.{task.status}", at=now, street_code=task.street_code,
                          community_code=task.community_code, visit_id=task.id, outcome=task.outcome)
    return task
