"""Consent to process sensitive personal information (PIPL art. 29, 31: health data, data of minors).

A service that keeps such data declares ``class Consent(ConsentMixin, Base)`` and mounts ``consent_router``;
its use cases check ``has_consent`` before storing sensitive data. Consent can be withdrawn at any time, by
the person themselves or by staff recording a withdrawal; withdrawn consent stays on record (who, when).
"""

# No `from __future__ import annotations` here: the routers' dependencies live in closures, and FastAPI
# must see the real objects in their annotations, not strings it cannot resolve.
import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from shared.audit import AuditMixin, record_access
from shared.auth import Principal, authenticated, require_roles
from shared.database import UTCDateTime, unit_of_work, utcnow
from shared.errors import Conflict, Forbidden, NotFound

Purpose = Literal["health_data", "minor_data", "employment_data"]
GUARDIAN_CONSENT_AGE = 14  # PIPL art. 31: under 14, the parent or guardian consents for the child


def needs_guardian(birth_date: date, today: date) -> bool:
    """Whether a person born on ``birth_date`` is under 14 on ``today``."""
    years = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))
    return years < GUARDIAN_CONSENT_AGE


class ConsentMixin:
    @declared_attr.directive
    def __tablename__(cls) -> str:
        return "consents"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    person_ref: Mapped[str] = mapped_column(String(40), index=True)
    purpose: Mapped[str] = mapped_column(String(30))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    granted_by: Mapped[str] = mapped_column(String(120))  # the person, or the staff member who recorded it
    guardian_person_ref: Mapped[str | None] = mapped_column(String(40), nullable=True)  # for a minor
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    withdrawn_by: Mapped[str | None] = mapped_column(String(120), nullable=True)


class ConsentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_ref: str = Field(pattern=r"^pr_[0-9a-f]{32}$")
    purpose: Purpose
    guardian_person_ref: str | None = Field(None, pattern=r"^pr_[0-9a-f]{32}$", validate_default=True)

    @field_validator("guardian_person_ref")
    @classmethod
    def _guardian_for_a_child(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and info.data.get("purpose") == "minor_data":
            raise ValueError("a child's data needs the consent of their parent or guardian: give their person_ref")
        if value is not None and value == info.data.get("person_ref"):
            raise ValueError("the guardian is someone other than the person")
        return value


class ConsentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    person_ref: str
    purpose: Purpose
    granted_at: datetime
    granted_by: str
    guardian_person_ref: str | None
    withdrawn_at: datetime | None
    withdrawn_by: str | None


async def has_consent(session: AsyncSession, model: type[ConsentMixin], person_ref: str, purpose: str) -> bool:
    found = await session.scalar(select(model.id).where(
        model.person_ref == person_ref, model.purpose == purpose, model.withdrawn_at.is_(None)).limit(1))
    return found is not None


def _may_act_for(principal: Principal, person_ref: str, staff_roles: tuple[str, ...]) -> bool:
    return principal.person_ref == person_ref or bool(principal.roles & {"admin", *staff_roles})


def consent_router(model: type[ConsentMixin], audit_model: type[AuditMixin], get_session,
                   staff_roles: tuple[str, ...]) -> APIRouter:
    router = APIRouter(prefix="/consents", tags=["consent"])
    Session = Annotated[AsyncSession, Depends(get_session)]
    Caller = Annotated[Principal, Depends(authenticated)]
    # Recorded or withdrawn by the person (or a child's guardian) or the service's staff; never by auditors.
    Writer = Annotated[Principal, Depends(require_roles(*staff_roles, "resident"))]

    @router.post("", status_code=status.HTTP_201_CREATED, response_model=ConsentRead)
    async def grant(body: ConsentCreate, session: Session, principal: Writer, request: Request):
        if not _may_act_for(principal, body.person_ref, staff_roles):
            raise Forbidden("only the person or authorised staff may record consent")
        async with unit_of_work(session):
            if await has_consent(session, model, body.person_ref, body.purpose):
                raise Conflict("consent for this purpose is already in force")
            row = model(person_ref=body.person_ref, purpose=body.purpose, granted_by=principal.subject,
                        guardian_person_ref=body.guardian_person_ref, granted_at=utcnow())
            session.add(row)
            await record_access(session, audit_model, principal=principal, action="consent",
                                resource_type="consent", person_ref=body.person_ref, reason=f"grant {body.purpose}",
                                endpoint=request.url.path)
        return row

    @router.post("/{consent_id}/withdraw", response_model=ConsentRead)
    async def withdraw(consent_id: uuid.UUID, session: Session, principal: Writer, request: Request):
        async with unit_of_work(session):
            row = await session.get(model, consent_id, with_for_update=True)
            # The guardian who gave a child's consent may withdraw it too.
            guardian = row is not None and principal.person_ref is not None and (
                principal.person_ref == row.guardian_person_ref)
            if row is None or not (guardian or _may_act_for(principal, row.person_ref, staff_roles)):
                raise NotFound(f"consent {consent_id} not found")
            if row.withdrawn_at is not None:
                raise Conflict("consent already withdrawn")
            row.withdrawn_at, row.withdrawn_by = utcnow(), principal.subject
            await record_access(session, audit_model, principal=principal, action="consent",
                                resource_type="consent", resource_id=row.id, person_ref=row.person_ref,
                                reason=f"withdraw {row.purpose}", endpoint=request.url.path)
        return row

    @router.get("", response_model=list[ConsentRead])
    async def list_consents(person_ref: str, session: Session, principal: Caller):
        if not _may_act_for(principal, person_ref, (*staff_roles, "auditor")):
            raise Forbidden("only the person or authorised staff may see consents")
        rows = await session.execute(select(model).where(model.person_ref == person_ref).order_by(model.granted_at))
        return list(rows.scalars())

    return router
