"""Who may do what in this service: role dependencies shared by the routers, and the street scope of staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal, authenticated, require_roles
from shared.errors import Forbidden
from shared.service_app import get_session

Session = Annotated[AsyncSession, Depends(get_session)]
# Community staff (the secretary's team, grid workers) write; auditors read everything, masked, and write
# nothing; admin passes every check.
Staff = Annotated[Principal, Depends(require_roles("community"))]
Reader = Annotated[Principal, Depends(require_roles("community", "auditor"))]
# Residents act for themselves and their household; staff act for anyone.
StaffOrResident = Annotated[Principal, Depends(require_roles("community", "resident"))]
# Readers of household-level records: staff and auditors for everyone, a resident for their own household.
HouseholdReader = Annotated[Principal, Depends(require_roles("community", "auditor", "resident"))]
# Public information (stations, the course calendar): residents and officers of every area.
Public = Annotated[Principal, Depends(require_roles("community", "auditor", "resident", "doctor", "renovation",
                                                    "jobs", "jobs-approver"))]
AnyCaller = Annotated[Principal, Depends(authenticated)]


def ensure_street(principal: Principal, street_code: str | None) -> None:
    """Staff bound to one street (``principal.street_code``) act only there."""
    if principal.street_code and not principal.is_admin and principal.street_code != street_code:
        raise Forbidden(f"your account is limited to street {principal.street_code}")


def is_staff(principal: Principal) -> bool:
    return principal.has_role("admin", "community")


def sees_personal_data(principal: Principal) -> bool:
    """Community staff and admins see residents' details; auditors and everyone else see them masked."""
    return is_staff(principal)


def resident_ref(principal: Principal) -> str:
    """The caller's own person_ref: residents act only as themselves."""
    if not principal.person_ref:
        raise Forbidden("this action needs a resident account linked to a person (person_ref)")
    return principal.person_ref
