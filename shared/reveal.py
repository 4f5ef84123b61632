"""Masked by default, revealed one field at a time (issue 12, PIPL art. 28-31).

Every read of a person's record shows the ID number and phone masked, to everyone, the person included. A
caller entitled to the value asks for it with ``POST .../{id}/reveal`` ``{field, reason}``: one field of one
record, with a reason, and the service writes one audit row (who, which record and field, why, the request id)
before it answers. The service decides who is entitled (its own access rules) and calls ``reveal``; nothing of
the value is audited or returned to anyone else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.ext.asyncio import AsyncSession

from shared.audit import AuditMixin, record_read
from shared.auth import Principal
from shared.identity import mask_id_number, mask_phone

RevealField = Literal["id_number", "phone"]
MASKS: dict[str, Callable[[str | None], str | None]] = {"id_number": mask_id_number, "phone": mask_phone}
# Short enough for "电话随访" (a follow-up call), long enough that "x" or "ok" is not a reason.
REASON_MIN_LENGTH = 4


class RevealRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: RevealField = Field(description="The one field to reveal")
    reason: str = Field(min_length=REASON_MIN_LENGTH, max_length=200,
                        description="Why the full value is needed (e.g. 电话随访); kept in the audit log")

    @field_validator("reason")
    @classmethod
    def _meaningful(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) < REASON_MIN_LENGTH:
            raise ValueError(f"say why, in at least {REASON_MIN_LENGTH} characters")
        return value


class RevealResponse(BaseModel):
    record_id: uuid.UUID
    field: RevealField
    value: str | None = Field(description="The full value (null when the record has none)")


def masked(field: str, value: str | None) -> str | None:
    return MASKS[field](value)


def masked_fields(row: dict) -> dict:
    """``row`` with each revealable field it holds masked (a view built for any caller)."""
    return {**row, **{f: masked(f, row[f]) for f in MASKS if f in row}}


async def reveal(session: AsyncSession, audit_model: type[AuditMixin], *, principal: Principal, resource_type: str,
                 record_id: uuid.UUID, person_ref: str | None, request: RevealRequest, value: str | None,
                 endpoint: str | None) -> RevealResponse:
    """Audit the reveal (its own small transaction, committed before the value leaves), then return the value.
    The caller has checked that ``principal`` is entitled to it."""
    await record_read(session, audit_model, principal=principal, action="reveal", resource_type=resource_type,
                      resource_id=record_id, person_ref=person_ref, fields=(request.field,), reason=request.reason,
                      endpoint=endpoint)
    return RevealResponse(record_id=record_id, field=request.field, value=value)
