"""The guardian's consent to process a child's data (PIPL art. 31: personal information of a child under 14 is
sensitive; its processing needs the consent of the parent or guardian).

A child under 14 is registered only with it: community staff confirm the form the guardian signed
(``minor_data_consent``, ``guardian_id``) and the consent row is written with the resident, or it was recorded
first at ``/consents``. Without it in force (never given, or withdrawn by the guardian or staff), nothing new is
done with the child's data: no booking, enrolment or meal order for the child, no change to their record (a
409). The record itself stays, and stays readable by staff, until the guardian asks to have it removed.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.community.db import Base
from services.community.residents.models import Resident
from shared.auth import Principal
from shared.consent import ConsentMixin, has_consent, needs_guardian
from shared.errors import Conflict, FieldError

MINOR_DATA = "minor_data"


class Consent(ConsentMixin, Base):
    """A guardian's consent for a child's data; withdrawn ones stay on record (who, when)."""


async def consent_in_force(session: AsyncSession, person_ref: str) -> bool:
    return await has_consent(session, Consent, person_ref, MINOR_DATA)


def grant(child_ref: str, *, guardian_ref: str, by: Principal, at: datetime) -> Consent:
    return Consent(person_ref=child_ref, purpose=MINOR_DATA, guardian_person_ref=guardian_ref, granted_by=by.subject,
                   granted_at=at)


async def ensure_guardian_consent(session: AsyncSession, resident: Resident, today: date, *,
                                  field: str = "resident_id") -> None:
    """Refuse to process a child's data without the guardian's consent in force (adults pass)."""
    if needs_guardian(resident.birth_date, today) and not await consent_in_force(session, resident.person_ref):
        raise Conflict("the guardian's consent to process this child's data is not on record or was withdrawn",
                       [FieldError(field, "no guardian consent in force for a child under 14")])
