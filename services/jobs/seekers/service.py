"""Use cases of job seekers: registration, reading (own records for residents), profile changes, reopening."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import ensure_street, is_staff, own_ref, scope_street
from services.jobs.db import AuditEntry, outbox
from services.jobs.households import service as households
from services.jobs.integrity import conflict_on_duplicate
from services.jobs.seekers.models import Seeker, SeekerSkill, StageChange
from services.jobs.seekers.rules import (
    group_problems,
    is_working_age,
    next_stage,
    normalise_terms,
    refusal,
    sex_from_id,
)
from services.jobs.seekers.schemas import SeekerCreate, SeekerUpdate
from services.jobs.stats import tallies
from shared.audit import record_access, record_read
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.events.contracts.jobs import SeekerRegisteredV1
from shared.identity import birth_date_of, person_ref
from shared.locations import check_community, check_street
from shared.pagination import paginate

IDENTITY_FIELDS = ("id_number", "name", "phone")


async def register_seeker(session: AsyncSession, *, data: SeekerCreate, actor: Principal, now: datetime,
                          ref_key: str) -> Seeker:
    check_street(data.street_code)
    ensure_street(actor, data.street_code)
    if data.community_code:
        check_community(data.community_code, street_code=data.street_code)
    born, sex = birth_date_of(data.id_number), sex_from_id(data.id_number)
    if not is_working_age(born, sex, now.date()):
        raise InvalidInput("id_number", "the person is not of working age (16 to retirement age)")
    problems = group_problems(data.priority_groups, born=born, sex=sex, day=now.date())
    if problems:
        raise InvalidInput("priority_groups", "; ".join(problems))
    ref = person_ref(data.id_number, ref_key)
    existing = await session.scalar(select(Seeker.id).where(Seeker.person_ref == ref))
    if existing is not None:
        raise Conflict(f"this person is already registered as seeker {existing}",
                       [FieldError("id_number", "already registered")])
    household = None
    if data.household_id is not None:
        household = await households.get_household(session, household_id=data.household_id, for_update=True)
        if household.street_code != data.street_code:
            raise InvalidInput("household_id", f"the household lives in street {household.street_code}")
    with conflict_on_duplicate("this person is already registered", "id_number"):
        async with unit_of_work(session):
            seeker = Seeker(
                id=uuid.uuid4(), id_number=data.id_number, person_ref=ref, name=data.name.strip(), phone=data.phone,
                sex=sex, birth_date=born, street_code=data.street_code, community_code=data.community_code,
                household_id=data.household_id, desired_posts=normalise_terms(data.desired_posts),
                desired_salary_min_fen=data.desired_salary_min_fen, education=data.education,
                caseworker=data.caseworker or actor.subject, stage="registered", registered_at=now,
                skill_rows=[SeekerSkill(skill=s) for s in normalise_terms(data.skills)],
                stage_changes=[StageChange(from_stage=None, to_stage="registered", by=actor.subject, at=now)],
            )
            groups = list(data.priority_groups)
            session.add(seeker)
            await session.flush()
            await tallies.seeker_registered(session, seeker)
            if household is not None:
                await households.add_seeker_member(session, household=household, seeker_id=seeker.id, ref=ref,
                                                   born=born, sex=sex, now=now, by=actor.subject)
                if household.status == "zero_employment":
                    groups.append("zero_employment_household")
            seeker.priority_groups = groups
            await record_access(session, AuditEntry, principal=actor, action="create", resource_type="seeker",
                                resource_id=seeker.id, person_ref=ref, fields=IDENTITY_FIELDS)
            await outbox.add(session, SeekerRegisteredV1(
                seeker_id=seeker.id, person_ref=ref, street_code=seeker.street_code,
                priority_groups=seeker.priority_groups, registered_at=now, community_code=seeker.community_code,
                household_id=seeker.household_id))
    return seeker


async def load_seeker(session: AsyncSession, seeker_id: uuid.UUID, *, for_update: bool = False) -> Seeker:
    seeker = await session.get(Seeker, seeker_id, with_for_update=for_update)
    if seeker is None:
        raise NotFound(f"seeker {seeker_id} not found", [FieldError("seeker_id", "no such seeker")])
    return seeker


def ensure_may_read(principal: Principal, seeker: Seeker) -> None:
    """Staff read (within their street); a resident reads only their own record, and learns nothing of others."""
    if is_staff(principal):
        ensure_street(principal, seeker.street_code)
        return
    if principal.person_ref != seeker.person_ref:
        raise NotFound(f"seeker {seeker.id} not found", [FieldError("seeker_id", "no such seeker")])


async def read_seeker(session: AsyncSession, *, seeker_id: uuid.UUID, principal: Principal,
                      endpoint: str | None = None) -> Seeker:
    seeker = await load_seeker(session, seeker_id)
    ensure_may_read(principal, seeker)
    if is_staff(principal):
        # Reading one seeker's file is a read of personal data: audited. ID number and phone stay masked
        # (``reveal`` shows one, audited on its own); the name is the identifier read in clear.
        await record_read(session, AuditEntry, principal=principal, action="read", resource_type="seeker",
                          resource_id=seeker.id, person_ref=seeker.person_ref, fields=("name",), endpoint=endpoint)
    return seeker


async def my_seeker(session: AsyncSession, *, principal: Principal) -> Seeker:
    ref = own_ref(principal)
    seeker = await session.scalar(select(Seeker).where(Seeker.person_ref == ref))
    if seeker is None:
        raise NotFound("you are not registered as a job seeker")
    return seeker


async def list_seekers(
    session: AsyncSession, *, principal: Principal, stage: str | None = None, street_code: str | None = None,
    group: str | None = None, caseworker: str | None = None, skill: str | None = None,
    household_id: uuid.UUID | None = None, limit: int, cursor: str | None,
) -> tuple[list[Seeker], str | None]:
    stmt = select(Seeker)
    if not is_staff(principal):
        stmt = stmt.where(Seeker.person_ref == own_ref(principal))
    street_code = scope_street(principal, street_code)
    if stage:
        stmt = stmt.where(Seeker.stage == stage)
    if street_code:
        stmt = stmt.where(Seeker.street_code == street_code)
    if group:
        stmt = stmt.where(Seeker.groups.like(f"%,{group},%"))
    if caseworker:
        stmt = stmt.where(Seeker.caseworker == caseworker)
    if skill:
        terms = normalise_terms([skill])
        if not terms:
            raise InvalidInput("skill", "must not be blank")
        stmt = stmt.where(Seeker.id.in_(select(SeekerSkill.seeker_id).where(SeekerSkill.skill == terms[0])))
    if household_id:
        stmt = stmt.where(Seeker.household_id == household_id)
    return await paginate(session, stmt, sort_column=Seeker.registered_at, id_column=Seeker.id, limit=limit,
                          cursor=cursor, descending=True)


async def update_seeker(session: AsyncSession, *, seeker_id: uuid.UUID, data: SeekerUpdate, actor: Principal,
                        now: datetime) -> Seeker:
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field not in ("phone", "community_code", "desired_salary_min_fen", "education"):
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        seeker = await load_seeker(session, seeker_id, for_update=True)
        ensure_street(actor, seeker.street_code)
        if changes.get("community_code"):
            check_community(changes["community_code"], street_code=seeker.street_code)
        if "priority_groups" in changes:
            groups = list(changes.pop("priority_groups"))
            problems = group_problems(groups, born=seeker.birth_date, sex=seeker.sex, day=now.date())
            if problems:
                raise InvalidInput("priority_groups", "; ".join(problems))
            seeker.priority_groups = groups
        if "skills" in changes:
            wanted = normalise_terms(changes.pop("skills"))
            seeker.skill_rows = [row for row in seeker.skill_rows if row.skill in wanted]
            have = {row.skill for row in seeker.skill_rows}
            seeker.skill_rows.extend(SeekerSkill(skill=s) for s in wanted if s not in have)
        if "desired_posts" in changes:
            changes["desired_posts"] = normalise_terms(changes["desired_posts"])
        for field, value in changes.items():
            setattr(seeker, field, value)
        await record_access(session, AuditEntry, principal=actor, action="update", resource_type="seeker",
                            resource_id=seeker.id, person_ref=seeker.person_ref, fields=tuple(data.model_fields_set))
    return seeker


async def move(session: AsyncSession, seeker: Seeker, event: str, *, by: str, now: datetime,
               reason: str | None = None) -> None:
    """Inside the caller's transaction: the loop's next stage (and the overview's tallies), or a 409 naming why
    not."""
    why = refusal(seeker.stage, event)
    if why:
        raise Conflict(why)
    target = next_stage(seeker.stage, event)
    await tallies.seeker_moved(session, seeker, from_stage=seeker.stage, to_stage=target)
    seeker.stage_changes.append(StageChange(from_stage=seeker.stage, to_stage=target, by=by, at=now, reason=reason))
    seeker.stage = target
    if target == "followed_up":
        seeker.closed_at = now
    elif target == "in_service":
        seeker.closed_at = None


async def reopen(session: AsyncSession, *, seeker_id: uuid.UUID, reason: str, actor: Principal,
                 now: datetime) -> Seeker:
    async with unit_of_work(session):
        seeker = await load_seeker(session, seeker_id, for_update=True)
        ensure_street(actor, seeker.street_code)
        await move(session, seeker, "reopen", by=actor.subject, now=now, reason=reason)
    return seeker
