"""The service's audit log for admins and auditors (``/audit``).

Written here rather than mounted from ``shared.audit.audit_router``: that factory annotates its session
dependency with a local name under ``from __future__ import annotations``, which FastAPI cannot resolve (the
session is then asked for as a query parameter). Same query, same response model.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from services.community.access import Session
from services.community.db import AuditEntry
from shared.audit import AuditAction, AuditEntryRead, record_read
from shared.auth import Principal, require_roles
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, paginate

router = APIRouter(prefix="/audit", tags=["audit"])
AuditPage = Page[AuditEntryRead]


@router.get("", response_model=AuditPage, summary="Who saw residents' unmasked details or changed them")
async def list_audit(
    request: Request, session: Session, principal: Annotated[Principal, Depends(require_roles("auditor"))],
    person_ref: Annotated[str | None, Query(max_length=40)] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    action: AuditAction | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
):
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
    return AuditPage(items=[AuditEntryRead.model_validate(r) for r in rows], next_cursor=next_cursor)
