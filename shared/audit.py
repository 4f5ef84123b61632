"""Append-only audit log of reads and writes of personal and health data, one per service database.

Every service declares ``class AuditEntry(AuditMixin, Base)`` and calls ``record_access`` in its use cases:
writes inside the use case's transaction, reads in a small transaction of their own. ``audit_router``
lets admins and auditors query it through the gateway (``/api/v1/<area>/audit``). On PostgreSQL a trigger
(created by ``append_only_sql`` in the service's migration) refuses UPDATE and DELETE of audit rows.
"""

# No `from __future__ import annotations` here: the routers' dependencies live in closures, and FastAPI
# must see the real objects in their annotations, not strings it cannot resolve.
import uuid
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import String, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.auth import Principal, require_roles
from shared.database import UTCDateTime, unit_of_work, utcnow
from shared.observability import current_request_id
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, paginate

AuditAction = Literal["read", "list", "create", "update", "delete", "reveal", "export", "anonymise", "consent"]


class AuditMixin:
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(120), index=True)
    actor_roles: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    resource_type: Mapped[str] = mapped_column(String(60))
    resource_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    person_ref: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    fields: Mapped[str | None] = mapped_column(String(300), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    endpoint: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(128), nullable=True)


def append_only_sql(table: str = "audit_log") -> list[str]:
    """PostgreSQL statements that make ``table`` append-only (run them from the service's migration)."""
    return [
        """CREATE OR REPLACE FUNCTION minsheng_audit_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION minsheng_audit_append_only()",
    ]


async def record_access(
    session: AsyncSession, model: type[AuditMixin], *, principal: Principal, action: AuditAction,
    resource_type: str, resource_id: object = None, person_ref: str | None = None,
    fields: tuple[str, ...] | list[str] = (), reason: str | None = None, endpoint: str | None = None,
) -> None:
    """Add an audit row to the session's current transaction (the caller commits it with its change)."""
    await session.execute(insert(model).values(
        id=uuid.uuid4(), at=utcnow(), actor=principal.subject, actor_roles=",".join(sorted(principal.roles)),
        action=action, resource_type=resource_type,
        resource_id=str(resource_id) if resource_id is not None else None, person_ref=person_ref,
        fields=",".join(fields) or None, reason=reason, endpoint=endpoint, request_id=current_request_id(),
    ))


async def record_read(session: AsyncSession, model: type[AuditMixin], **kwargs) -> None:
    """Audit a read in a transaction of its own (reads change nothing else to commit with)."""
    async with unit_of_work(session):
        await record_access(session, model, **kwargs)


class AuditEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    at: datetime
    actor: str
    actor_roles: str
    action: str
    resource_type: str
    resource_id: str | None
    person_ref: str | None
    fields: str | None
    reason: str | None
    endpoint: str | None
    request_id: str | None


def audit_router(model: type[AuditMixin], get_session) -> APIRouter:
    router = APIRouter(prefix="/audit", tags=["audit"])

    @router.get("", response_model=Page[AuditEntryRead], summary="The audit log (admins and auditors)")
    async def list_audit(
        request: Request,
        session: Annotated[AsyncSession, Depends(get_session)],
        principal: Annotated[Principal, Depends(require_roles("auditor"))],
        person_ref: Annotated[str | None, Query(max_length=40)] = None,
        actor: Annotated[str | None, Query(max_length=120)] = None,
        action: Annotated[AuditAction | None, Query()] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
        cursor: Annotated[str | None, Query(max_length=500)] = None,
    ):
        stmt = select(model)
        if person_ref:
            stmt = stmt.where(model.person_ref == person_ref)
        if actor:
            stmt = stmt.where(model.actor == actor)
        if action:
            stmt = stmt.where(model.action == action)
        rows, next_cursor = await paginate(session, stmt, sort_column=model.at, id_column=model.id, limit=limit,
                                           cursor=cursor, descending=True)
        # Reading the audit log is itself audited.
        await record_read(session, model, principal=principal, action="list", resource_type="audit_log",
                          person_ref=person_ref, endpoint=request.url.path)
        return Page[AuditEntryRead](items=[AuditEntryRead.model_validate(r) for r in rows], next_cursor=next_cursor)

    return router
