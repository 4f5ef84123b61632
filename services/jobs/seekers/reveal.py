"""Revealing a seeker's ID number or phone: for the officers who serve them (within their street) and the
person; one field, a reason, one audit row (shared.reveal). Approvers and auditors work with masked values."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import sees_identity
from services.jobs.db import AuditEntry
from services.jobs.seekers.service import ensure_may_read, load_seeker
from shared.auth import Principal
from shared.errors import Forbidden
from shared.reveal import RevealRequest, RevealResponse, reveal


async def reveal_field(session: AsyncSession, *, seeker_id: uuid.UUID, request: RevealRequest, principal: Principal,
                       endpoint: str | None) -> RevealResponse:
    seeker = await load_seeker(session, seeker_id)
    ensure_may_read(principal, seeker)
    if not (sees_identity(principal) or principal.person_ref == seeker.person_ref):
        raise Forbidden("only the officers serving this seeker, and the seeker, may see the full value")
    return await reveal(session, AuditEntry, principal=principal, resource_type="seeker", record_id=seeker.id,
                        person_ref=seeker.person_ref, request=request, value=getattr(seeker, request.field),
                        endpoint=endpoint)
