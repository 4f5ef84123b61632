"""Use cases of estates and their registered households: one transaction each; the session is passed in."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street
from services.renovation.estates.models import Estate, Household, HouseholdMember
from services.renovation.estates.schemas import EstateCreate, EstateUpdate, HouseholdCreate, MyHousehold
from services.renovation.integrity import conflict_on_duplicate
from shared.auth import Principal
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, InvalidInput, NotFound
from shared.locations import check_community, check_coordinates, street_of
from shared.pagination import paginate


async def create_estate(session: AsyncSession, *, data: EstateCreate, actor: Principal) -> Estate:
    check_community(data.community_code)
    street = street_of(data.community_code)
    if data.street_code and data.street_code != street:
        raise InvalidInput("street_code", f"community {data.community_code} lies in street {street}")
    if (data.latitude is None) != (data.longitude is None):
        raise InvalidInput("latitude" if data.latitude is None else "longitude", "give both coordinates or neither")
    if data.latitude is not None:
        check_coordinates(data.latitude, data.longitude)
    ensure_street(actor, street)
    with conflict_on_duplicate("an estate with that name already exists in this street", "name"):
        async with unit_of_work(session):
            await _ensure_unique_name(session, street, data.name)
            estate = Estate(**data.model_dump(exclude={"street_code"}), street_code=street)
            session.add(estate)
    return estate


async def update_estate(session: AsyncSession, *, estate_id: uuid.UUID, data: EstateUpdate,
                        actor: Principal) -> Estate:
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field != "address":
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        estate = await get_estate(session, estate_id=estate_id, for_update=True)
        ensure_street(actor, estate.street_code)
        if "name" in changes and changes["name"] != estate.name:
            await _ensure_unique_name(session, estate.street_code, changes["name"])
        for field, value in changes.items():
            setattr(estate, field, value)
    return estate


async def _ensure_unique_name(session: AsyncSession, street_code: str, name: str) -> None:
    clash = await session.scalar(select(Estate.id).where(Estate.street_code == street_code, Estate.name == name))
    if clash is not None:
        raise Conflict(f"an estate named {name!r} already exists in street {street_code}",
                       [FieldError("name", "already used in this street")])


async def get_estate(session: AsyncSession, *, estate_id: uuid.UUID, for_update: bool = False) -> Estate:
    estate = await session.get(Estate, estate_id, with_for_update=for_update)
    if estate is None:
        raise NotFound(f"estate {estate_id} not found", [FieldError("estate_id", "no such estate")])
    return estate


async def get_estates(session: AsyncSession, *, estate_ids: Iterable[uuid.UUID],
                      field: str = "estate_ids") -> list[Estate]:
    """All of ``estate_ids`` in the order given, or a 404 naming the field and the missing ids."""
    wanted = list(dict.fromkeys(estate_ids))
    found = {e.id: e for e in (await session.scalars(select(Estate).where(Estate.id.in_(wanted)))).all()}
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        raise NotFound(f"unknown estate(s): {', '.join(missing)}", [FieldError(field, "unknown estate id(s): "
                                                                               + ", ".join(missing))])
    return [found[i] for i in wanted]


async def list_estates(
    session: AsyncSession, *, q: str | None, street_code: str | None, community_code: str | None,
    built_from: int | None, built_to: int | None, limit: int, cursor: str | None,
) -> tuple[list[Estate], str | None]:
    stmt = select(Estate)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Estate.name.like(f"%{escaped}%", escape="\\"))
    if street_code:
        stmt = stmt.where(Estate.street_code == street_code)
    if community_code:
        stmt = stmt.where(Estate.community_code == community_code)
    if built_from is not None:
        stmt = stmt.where(Estate.built_year >= built_from)
    if built_to is not None:
        stmt = stmt.where(Estate.built_year <= built_to)
    return await paginate(session, stmt, sort_column=Estate.name, id_column=Estate.id, limit=limit, cursor=cursor)


async def add_household(session: AsyncSession, *, estate_id: uuid.UUID, data: HouseholdCreate,
                        actor: Principal) -> Household:
    refs = list(dict.fromkeys(data.member_refs))
    with conflict_on_duplicate("that household or member was registered at the same moment", "label"):
        async with unit_of_work(session):
            estate = await get_estate(session, estate_id=estate_id)
            ensure_street(actor, estate.street_code)
            clash = await session.scalar(select(Household.id).where(Household.estate_id == estate_id,
                                                                    Household.label == data.label))
            if clash is not None:
                raise Conflict(f"household {data.label!r} is already registered in this estate",
                               [FieldError("label", "already registered")])
            await _ensure_not_members(session, estate_id, refs, field="member_refs")
            household = Household(estate_id=estate_id, label=data.label,
                                  members=[HouseholdMember(estate_id=estate_id, person_ref=r) for r in refs])
            session.add(household)
    return household


async def add_member(session: AsyncSession, *, household_id: uuid.UUID, person_ref: str,
                     actor: Principal) -> Household:
    with conflict_on_duplicate("that person was registered at the same moment", "person_ref"):
        async with unit_of_work(session):
            household = await get_household(session, household_id=household_id)
            estate = await get_estate(session, estate_id=household.estate_id)
            ensure_street(actor, estate.street_code)
            await _ensure_not_members(session, household.estate_id, [person_ref], field="person_ref")
            household.members.append(HouseholdMember(estate_id=household.estate_id, person_ref=person_ref))
    return household


async def remove_member(session: AsyncSession, *, household_id: uuid.UUID, person_ref: str,
                        actor: Principal) -> Household:
    async with unit_of_work(session):
        household = await get_household(session, household_id=household_id)
        estate = await get_estate(session, estate_id=household.estate_id)
        ensure_street(actor, estate.street_code)
        member = next((m for m in household.members if m.person_ref == person_ref), None)
        if member is None:
            raise NotFound("that person is not a member of this household",
                           [FieldError("person_ref", "not a member")])
        household.members.remove(member)
    return household


async def _ensure_not_members(session: AsyncSession, estate_id: uuid.UUID, refs: list[str], *, field: str) -> None:
    # One household per person per estate: otherwise a person could vote for two units of one estate.
    if not refs:
        return
    taken = (await session.scalars(select(HouseholdMember.person_ref).where(
        HouseholdMember.estate_id == estate_id, HouseholdMember.person_ref.in_(refs)))).all()
    if taken:
        raise Conflict("a person is already a member of another household of this estate",
                       [FieldError(field, f"{len(taken)} already registered in this estate")])


async def get_household(session: AsyncSession, *, household_id: uuid.UUID) -> Household:
    household = await session.get(Household, household_id)
    if household is None:
        raise NotFound(f"household {household_id} not found", [FieldError("household_id", "no such household")])
    return household


async def list_households(session: AsyncSession, *, estate_id: uuid.UUID, limit: int,
                          cursor: str | None) -> tuple[list[Household], str | None]:
    await get_estate(session, estate_id=estate_id)
    stmt = select(Household).where(Household.estate_id == estate_id)
    return await paginate(session, stmt, sort_column=Household.label, id_column=Household.id, limit=limit,
                          cursor=cursor)


async def households_of(session: AsyncSession, *, person_ref: str) -> list[MyHousehold]:
    rows = (await session.execute(
        select(Household.id, Household.label, Estate.id, Estate.name, Estate.community_code)
        .join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .join(Estate, Estate.id == Household.estate_id)
        .where(HouseholdMember.person_ref == person_ref)
        .order_by(Estate.name, Household.label)
    )).all()
    return [MyHousehold(household_id=r[0], label=r[1], estate_id=r[2], estate_name=r[3], community_code=r[4])
            for r in rows]


async def household_in(session: AsyncSession, *, person_ref: str,
                       estate_ids: Iterable[uuid.UUID]) -> Household | None:
    """The caller's registered household among ``estate_ids`` (None when they have none there)."""
    return await session.scalar(
        select(Household).join(HouseholdMember, HouseholdMember.household_id == Household.id)
        .where(HouseholdMember.person_ref == person_ref, Household.estate_id.in_(list(estate_ids)))
        .order_by(Household.registered_at).limit(1)
    )


async def count_households(session: AsyncSession, *, estate_ids: Iterable[uuid.UUID]) -> int:
    return await session.scalar(
        select(func.count()).select_from(Household).where(Household.estate_id.in_(list(estate_ids)))) or 0
