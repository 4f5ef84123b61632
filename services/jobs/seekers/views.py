"""How a seeker is shown to a caller: the name in clear only for the person and the officers who serve them
(and admin); the ID number and phone masked for everyone, revealed one at a time by ``reveal``."""

from __future__ import annotations

from datetime import date

from services.jobs.access import sees_identity
from services.jobs.seekers.models import Seeker
from services.jobs.seekers.rules import age_on
from services.jobs.seekers.schemas import SeekerRead
from shared.auth import Principal
from shared.identity import mask_name
from shared.reveal import masked


def shows_identity(principal: Principal, seeker: Seeker) -> bool:
    return sees_identity(principal) or principal.person_ref == seeker.person_ref


def seeker_view(seeker: Seeker, principal: Principal, today: date, *, listing: bool = False) -> SeekerRead:
    """``listing``: a row of a list (no stage history)."""
    clear = shows_identity(principal, seeker)
    return SeekerRead(
        id=seeker.id, person_ref=seeker.person_ref,
        id_number=masked("id_number", seeker.id_number),
        name=seeker.name if clear else mask_name(seeker.name),
        phone=masked("phone", seeker.phone),
        identity_masked=True, sex=seeker.sex, age=age_on(seeker.birth_date, today),
        street_code=seeker.street_code, community_code=seeker.community_code, household_id=seeker.household_id,
        priority_groups=seeker.priority_groups, skills=seeker.skills, desired_posts=seeker.desired_posts,
        desired_salary_min_fen=seeker.desired_salary_min_fen, education=seeker.education,
        caseworker=seeker.caseworker, stage=seeker.stage, registered_at=seeker.registered_at,
        last_contact_at=seeker.last_contact_at, placed_at=seeker.placed_at, closed_at=seeker.closed_at,
        stage_changes=[] if listing else seeker.stage_changes,
    )
