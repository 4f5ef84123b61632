"""Who may do what in this service: role dependencies shared by the routers, street scope, own records.

Roles: ``jobs`` (employment-centre officers: register, serve, place, prepare money), ``jobs-approver`` (the
checker who approves or refuses what an officer prepared), ``auditor`` (reads everything, writes nothing),
``resident`` (sees only their own records), ``admin`` (passes every role check).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.settings import Settings
from shared.auth import Principal, authenticated, require_roles
from shared.errors import Forbidden
from shared.service_app import get_session

Session = Annotated[AsyncSession, Depends(get_session)]
Officer = Annotated[Principal, Depends(require_roles("jobs"))]
Approver = Annotated[Principal, Depends(require_roles("jobs-approver"))]
# Staff who read: officers, approvers (they must see what they approve) and auditors.
Reader = Annotated[Principal, Depends(require_roles("jobs", "jobs-approver", "auditor"))]
# Staff readers, or a resident reading their own records (the use case narrows to person_ref).
ReaderOrSelf = Annotated[Principal, Depends(require_roles("jobs", "jobs-approver", "auditor", "resident"))]
# An officer acting for a seeker, or the seeker acting for themselves (the use case checks whose record it is).
OfficerOrSelf = Annotated[Principal, Depends(require_roles("jobs", "resident"))]
AnyUser = Annotated[Principal, Depends(authenticated)]

STAFF_ROLES = ("admin", "jobs", "jobs-approver", "auditor")
# Who may see a seeker's ID number and phone unmasked: the officers who serve them (and admin).
IDENTITY_ROLES = ("admin", "jobs")


def is_staff(principal: Principal) -> bool:
    return principal.has_role(*STAFF_ROLES)


def sees_identity(principal: Principal) -> bool:
    return principal.has_role(*IDENTITY_ROLES)


def ensure_street(principal: Principal, street_code: str) -> None:
    """Staff bound to one street (``principal.street_code``) act only there."""
    if principal.street_code and not principal.is_admin and principal.street_code != street_code:
        raise Forbidden(f"your account is limited to street {principal.street_code}")


def own_ref(principal: Principal) -> str:
    """A resident's own person_ref: residents only ever see records matched by it."""
    if not principal.person_ref:
        raise Forbidden("this needs a resident account linked to a person (person_ref)")
    return principal.person_ref


def scope_street(principal: Principal, street_code: str | None) -> str | None:
    """The street a staff list is limited to: the caller's own street when bound to one (a resident's lists are
    already narrowed to their own records)."""
    if principal.street_code and not principal.is_admin and is_staff(principal):
        if street_code and street_code != principal.street_code:
            raise Forbidden(f"your account is limited to street {principal.street_code}")
        return principal.street_code
    return street_code


async def app_settings(request: Request) -> Settings:
    """The service's settings (thresholds, the person_ref key), as the app was created with them."""
    return request.app.state.settings


Config = Annotated[Settings, Depends(app_settings)]
