"""Who may do what in this service: role dependencies shared by the routers, and the street scope of staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal, authenticated, require_roles
from shared.errors import Forbidden
from shared.service_app import get_session

Session = Annotated[AsyncSession, Depends(get_session)]
# Housing-bureau staff write; auditors read everything and write nothing; admin passes every check.
Staff = Annotated[Principal, Depends(require_roles("renovation"))]
Reader = Annotated[Principal, Depends(require_roles("renovation", "auditor"))]
Resident = Annotated[Principal, Depends(require_roles("resident"))]
# Public information (estates, the milestone timeline, plans put to residents): any signed-in caller.
AnyUser = Annotated[Principal, Depends(authenticated)]


def ensure_street(principal: Principal, street_code: str) -> None:
    """Staff bound to one street (``principal.street_code``) write only there."""
    if principal.street_code and not principal.is_admin and principal.street_code != street_code:
        raise Forbidden(f"your account is limited to street {principal.street_code}")


def resident_ref(principal: Principal) -> str:
    """The caller's own person_ref: residents act only as themselves."""
    if not principal.person_ref:
        raise Forbidden("this action needs a resident account linked to a person (person_ref)")
    return principal.person_ref


def is_staff_reader(principal: Principal) -> bool:
    return principal.has_role("admin", "auditor", "renovation")
