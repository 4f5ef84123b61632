"""The service's audit log for admins and auditors (``/audit``).

Defined here rather than with ``shared.audit.audit_router``: that factory annotates its parameters with
closure variables under ``from __future__ import annotations``, which FastAPI cannot resolve (its OpenAPI
schema fails to build)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from services.jobs.access import Session
from services.jobs.db import AuditEntry
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit
from shared.audit import AuditAction, AuditEntryRead, record_read
from shared.auth import Principal, require_roles
from shared.pagination import Page, paginate

router = APIRouter(prefix="/audit", tags=["audit"])
AuditReader = Annotated[Principal, Depends(require_roles("auditor"))]


@router.get("", response_model=Page[AuditEntryRead], summary="The audit log (admins and auditors)")
async def list_audit(request: Request, session: Session, principal: AuditReader,
                     person_ref: Annotated[str | None, Query(max_length=40)] = None,
                     actor: Annotated[str | None, Query(max_length=120)] = None,
                     action: AuditAction | None = None, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    stmt = select(AuditEntry)
    if person_ref:
        stmt = stmt.where(AuditEntry.person_ref == person_ref)
    if actor:
        stmt = stmt.where(AuditEntry.actor == actor)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    rows, next_cursor = await paginate(session, stmt, sort_column=AuditEntry.at, id_column=AuditEntry.id,
                                       limit=limit, cursor=cursor, descending=True)
    # Reading the audit log is itself audited.
    await record_read(session, AuditEntry, principal=principal, action="list", resource_type="audit_log",
                      person_ref=person_ref, endpoint=request.url.path)
    return Page[AuditEntryRead](items=[AuditEntryRead.model_validate(r) for r in rows], next_cursor=next_cursor)
