"""Consent to process a patient's health data (PIPL art. 28-29; a guardian's for a child under 14, art. 31).

A patient is registered only with consent in force: the registering doctor confirms the signed form
(``health_data_consent``) and the consent row is written with the patient, or it was recorded first at
``/consents``. Once withdrawn, no new health data about the person is stored (readings from any source, lab
orders and results, refills and dispensing, referrals, nursing plans and visits, follow-ups): a 409 says so.
What was recorded stays readable by the patient and their care staff (outpatient records are kept by law), and
closing steps (cancelling an order, dismissing a referral, taking the patient off the call list) still work.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.db import Base
from services.chronic_care.patients.models import Patient
from shared.auth import Principal
from shared.consent import ConsentMixin, has_consent, needs_guardian
from shared.errors import Conflict, FieldError

HEALTH_DATA = "health_data"
__all__ = ["HEALTH_DATA", "Consent", "consent_in_force", "ensure_consent", "grant", "needs_guardian"]


class Consent(ConsentMixin, Base):
    """A person's consent (or their guardian's) to process their health data here; withdrawn ones stay."""


async def consent_in_force(session: AsyncSession, person_ref: str) -> bool:
    return await has_consent(session, Consent, person_ref, HEALTH_DATA)


def grant(person_ref: str, *, by: Principal, at: datetime, guardian_ref: str | None) -> Consent:
    """The consent row the registering doctor records from the signed form."""
    return Consent(person_ref=person_ref, purpose=HEALTH_DATA, granted_by=by.subject, granted_at=at,
                   guardian_person_ref=guardian_ref)


async def ensure_consent(session: AsyncSession, patient: Patient, *, what: str = "new health data") -> None:
    """Refuse to store ``what`` about a patient whose consent is not (or no longer) in force."""
    if not await consent_in_force(session, patient.person_ref):
        raise Conflict(f"consent to process this patient's health data has been withdrawn: {what} is not recorded "
                       "(the existing record stays readable by the care staff)",
                       [FieldError("patient_id", "no health-data consent in force")])
