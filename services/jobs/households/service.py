"""Use cases of zero-employment households. ``apply_employment`` runs inside a caller's transaction (a
placement or a follow-up), so the household's clearance and the placement commit together with their events."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.jobs.access import ensure_street
from services.jobs.db import outbox
from services.jobs.households.models import Household, HouseholdChange, HouseholdMember
from services.jobs.households.rules import MemberFacts, household_status
from services.jobs.households.schemas import EmploymentUpdate, HouseholdCreate, HouseholdRead, MemberRead
from services.jobs.integrity import conflict_on_duplicate
from services.jobs.seekers.rules import is_working_age, sex_from_id
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.events.contracts.jobs import HouseholdClearedV1, HouseholdFlaggedV1
from shared.identity import InvalidIdNumber, birth_date_of, normalise_id_number, person_ref
from shared.locations import check_community, check_street
from shared.pagination import paginate


def to_read(household: Household, day: date) -> HouseholdRead:
    return HouseholdRead(
        id=household.id, street_code=household.street_code, community_code=household.community_code,
        label=household.label, status=household.status, flagged_at=household.flagged_at,
        cleared_at=household.cleared_at, changes=household.changes,
        members=[MemberRead(person_ref=m.person_ref, working_age=is_working_age(m.birth_date, m.sex, day),
                            employed=m.employed, seeker_id=m.seeker_id)
                 for m in sorted(household.members, key=lambda m: (m.birth_date, m.person_ref))],
    )


async def register_household(session: AsyncSession, *, data: HouseholdCreate, actor: Principal, now: datetime,
                             ref_key: str) -> Household:
    check_street(data.street_code)
    ensure_street(actor, data.street_code)
    if data.community_code:
        check_community(data.community_code, street_code=data.street_code)
    members: dict[str, HouseholdMember] = {}
    for i, member in enumerate(data.members):
        try:
            number = normalise_id_number(member.id_number)
        except InvalidIdNumber as exc:
            raise InvalidInput(f"members.{i}.id_number", str(exc)) from exc
        ref = person_ref(number, ref_key)
        if ref in members:
            raise InvalidInput(f"members.{i}.id_number", "the same person is listed twice")
        members[ref] = HouseholdMember(person_ref=ref, birth_date=birth_date_of(number), sex=sex_from_id(number),
                                       employed=member.employed)
    taken = (await session.scalars(select(HouseholdMember.person_ref).where(
        HouseholdMember.person_ref.in_(list(members))))).all()
    if taken:
        raise Conflict("a member already belongs to another household", [FieldError("members", "already registered")])
    with conflict_on_duplicate("a member already belongs to another household", "members"):
        async with unit_of_work(session):
            household = Household(street_code=data.street_code, community_code=data.community_code, label=data.label,
                                  status="clear", members=list(members.values()), changes=[])
            session.add(household)
            await session.flush()
            await _evaluate(session, household, now=now, by=actor.subject, cause="registered")
    return household


async def get_household(session: AsyncSession, *, household_id: uuid.UUID, for_update: bool = False) -> Household:
    household = await session.get(Household, household_id, with_for_update=for_update)
    if household is None:
        raise NotFound(f"household {household_id} not found", [FieldError("household_id", "no such household")])
    return household


async def list_households(session: AsyncSession, *, status: str | None, street_code: str | None, limit: int,
                          cursor: str | None) -> tuple[list[Household], str | None]:
    stmt = select(Household)
    if status:
        stmt = stmt.where(Household.status == status)
    if street_code:
        stmt = stmt.where(Household.street_code == street_code)
    return await paginate(session, stmt, sort_column=Household.created_at, id_column=Household.id, limit=limit,
                          cursor=cursor)


async def set_member_employment(session: AsyncSession, *, household_id: uuid.UUID, member_ref: str,
                                data: EmploymentUpdate, actor: Principal, now: datetime) -> Household:
    """An officer records that a member found (or lost) work outside the centre's placements."""
    async with unit_of_work(session):
        household = await get_household(session, household_id=household_id, for_update=True)
        ensure_street(actor, household.street_code)
        member = next((m for m in household.members if m.person_ref == member_ref), None)
        if member is None:
            raise NotFound(f"no member {member_ref} in this household", [FieldError("person_ref", "no such member")])
        member.employed = data.employed
        cause = data.note or ("member employed" if data.employed else "member out of work")
        await _evaluate(session, household, now=now, by=actor.subject, cause=cause)
    return household


async def add_seeker_member(session: AsyncSession, *, household: Household, seeker_id: uuid.UUID, ref: str,
                            born: date, sex: str, now: datetime, by: str) -> None:
    """Inside the caller's transaction: a registered seeker is (or becomes) an unemployed member."""
    member = next((m for m in household.members if m.person_ref == ref), None)
    if member is None:
        other = await session.scalar(select(HouseholdMember.household_id).where(HouseholdMember.person_ref == ref))
        if other is not None:
            raise Conflict("this person belongs to another household", [FieldError("household_id", "mismatch")])
        household.members.append(HouseholdMember(person_ref=ref, birth_date=born, sex=sex, employed=False,
                                                 seeker_id=seeker_id))
    else:
        member.seeker_id, member.employed = seeker_id, False
    await session.flush()
    await _evaluate(session, household, now=now, by=by, cause="seeker registered")


async def apply_employment(session: AsyncSession, *, ref: str, employed: bool, now: datetime, by: str,
                           cause: str, seeker_id: uuid.UUID | None = None) -> Household | None:
    """Inside the caller's transaction: the person's work changed; re-evaluate their household, if any."""
    household_id = await session.scalar(select(HouseholdMember.household_id).where(HouseholdMember.person_ref == ref))
    if household_id is None:
        return None
    household = await get_household(session, household_id=household_id, for_update=True)
    member = next(m for m in household.members if m.person_ref == ref)
    member.employed = employed
    await _evaluate(session, household, now=now, by=by, cause=cause, seeker_id=seeker_id)
    return household


async def _evaluate(session: AsyncSession, household: Household, *, now: datetime, by: str, cause: str,
                    seeker_id: uuid.UUID | None = None) -> None:
    facts = [MemberFacts(m.birth_date, m.sex, m.employed) for m in household.members]
    status = household_status(facts, now.date())
    first = not household.changes
    if status == household.status and not first:
        return
    previous = None if first else household.status
    household.status = status
    household.changes.append(HouseholdChange(from_status=previous, to_status=status, cause=cause, by=by, at=now))
    if status == "zero_employment":
        household.flagged_at, household.cleared_at = now, None
        working_age = sum(1 for m in household.members if is_working_age(m.birth_date, m.sex, now.date()))
        await outbox.add(session, HouseholdFlaggedV1(
            household_id=household.id, street_code=household.street_code, community_code=household.community_code,
            working_age_members=working_age, flagged_at=now))
    elif previous == "zero_employment":
        household.cleared_at = now
        await outbox.add(session, HouseholdClearedV1(
            household_id=household.id, street_code=household.street_code, community_code=household.community_code,
            cleared_at=now, seeker_id=seeker_id))
