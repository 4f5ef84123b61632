"""Use cases of households and residents: one transaction each; the session is passed in."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.community.access import ensure_street, is_staff, sees_personal_data
from services.community.db import AuditEntry
from services.community.integrity import conflict_on_duplicate
from services.community.localtime import local_date
from services.community.residents import consent
from services.community.residents.models import Household, Resident
from services.community.residents.rules import (
    ADULT_AGE,
    ELDERLY_AGE,
    INFANT_AGE,
    age_on,
    birthday_cutoff,
    groups_of,
)
from services.community.residents.schemas import HouseholdCreate, HouseholdUpdate, ResidentCreate, ResidentUpdate
from shared.audit import record_access, record_read
from shared.auth import Principal
from shared.consent import needs_guardian
from shared.database import unit_of_work
from shared.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from shared.identity import InvalidIdNumber, birth_date_of, mask_name, normalise_id_number, person_ref
from shared.locations import check_community, check_coordinates, street_of
from shared.pagination import paginate
from shared.reveal import RevealRequest, RevealResponse, masked, reveal


async def create_household(session: AsyncSession, *, data: HouseholdCreate, actor: Principal) -> Household:
    check_community(data.community_code)
    street = street_of(data.community_code)
    ensure_street(actor, street)
    _check_location(data.latitude, data.longitude)
    async with unit_of_work(session):
        household = Household(label=data.label, address=data.address, street_code=street,
                              community_code=data.community_code, latitude=data.latitude, longitude=data.longitude,
                              members=[])
        session.add(household)
    return household


def _check_location(latitude: float | None, longitude: float | None) -> None:
    if (latitude is None) != (longitude is None):
        raise InvalidInput("longitude" if longitude is None else "latitude", "give both latitude and longitude")
    if latitude is not None and longitude is not None:
        check_coordinates(latitude, longitude)


async def get_household(session: AsyncSession, *, household_id: uuid.UUID, for_update: bool = False) -> Household:
    # populate_existing: the members are read afresh even when the household is already in the session.
    household = await session.get(Household, household_id, with_for_update=for_update, populate_existing=True)
    if household is None:
        raise NotFound(f"household {household_id} not found", [FieldError("household_id", "no such household")])
    return household


async def read_household(session: AsyncSession, *, household_id: uuid.UUID, viewer: Principal,
                         today: date) -> dict:
    household = await get_household(session, household_id=household_id)
    if not (viewer.has_role("admin", "community", "auditor") or _is_member(household, viewer)):
        raise Forbidden("only community staff and the household's members may read it")
    return household_view(household, viewer=viewer, today=today)


def _is_member(household: Household, viewer: Principal) -> bool:
    return viewer.person_ref is not None and any(m.person_ref == viewer.person_ref for m in household.members)


async def list_households(session: AsyncSession, *, community_code: str | None, street_code: str | None,
                          limit: int, cursor: str | None) -> tuple[list[Household], str | None]:
    stmt = select(Household)
    if community_code:
        stmt = stmt.where(Household.community_code == community_code)
    if street_code:
        stmt = stmt.where(Household.street_code == street_code)
    return await paginate(session, stmt, sort_column=Household.created_at, id_column=Household.id, limit=limit,
                          cursor=cursor)


async def update_household(session: AsyncSession, *, household_id: uuid.UUID, data: HouseholdUpdate,
                           actor: Principal) -> Household:
    changes = data.model_dump(exclude_unset=True)
    for field in ("label", "address"):
        if field in changes and changes[field] is None:
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        household = await get_household(session, household_id=household_id, for_update=True)
        ensure_street(actor, household.street_code)
        latitude = changes.get("latitude", household.latitude)
        longitude = changes.get("longitude", household.longitude)
        _check_location(latitude, longitude)
        for field, value in changes.items():
            setattr(household, field, value)
    return household


async def add_member(session: AsyncSession, *, household_id: uuid.UUID, data: ResidentCreate, actor: Principal,
                     ref_key: str, now: datetime) -> Resident:
    try:
        id_number = normalise_id_number(data.id_number)
    except InvalidIdNumber as exc:
        raise InvalidInput("id_number", str(exc)) from exc
    ref = person_ref(id_number, ref_key)
    async with unit_of_work(session):
        household = await get_household(session, household_id=household_id, for_update=True)
        ensure_street(actor, household.street_code)
        if await session.scalar(select(Resident.id).where(Resident.person_ref == ref)):
            raise Conflict("this person is already registered in the community (move them instead)",
                           [FieldError("id_number", "already registered")])
        if needs_guardian(birth_date_of(id_number), today_of(now)) and not await consent.consent_in_force(session,
                                                                                                      ref):
            await _record_guardian_consent(session, data=data, child_ref=ref, actor=actor, now=now)
        resident = Resident(
            household_id=household.id, person_ref=ref, id_number=id_number, name=data.name, phone=data.phone,
            sex="M" if int(id_number[16]) % 2 else "F", birth_date=birth_date_of(id_number),
            lives_alone=data.lives_alone, disabled=data.disabled, low_income=data.low_income,
            street_code=household.street_code, community_code=household.community_code,
        )
        with conflict_on_duplicate("this person is already registered in the community", "id_number"):
            session.add(resident)
            await session.flush()
        await record_access(session, AuditEntry, principal=actor, action="create", resource_type="resident",
                            resource_id=resident.id, person_ref=ref)
    return resident


async def _record_guardian_consent(session: AsyncSession, *, data: ResidentCreate, child_ref: str, actor: Principal,
                                   now: datetime) -> None:
    """A child under 14 is registered with the consent form their guardian signed, recorded with the child."""
    if not data.minor_data_consent:
        raise InvalidInput("minor_data_consent", "a child under 14 is registered with the consent their parent or "
                           "guardian signed: confirm it (true) and name the guardian (guardian_id)")
    if data.guardian_id is None:
        raise InvalidInput("guardian_id", "name the parent or guardian who signed (a registered resident)")
    guardian = await session.get(Resident, data.guardian_id)
    if guardian is None:
        raise InvalidInput("guardian_id", "no such resident: register the guardian first")
    if needs_guardian(guardian.birth_date, today_of(now)):
        raise InvalidInput("guardian_id", "the guardian is 14 or older")
    session.add(consent.grant(child_ref, guardian_ref=guardian.person_ref, by=actor, at=now))
    await record_access(session, AuditEntry, principal=actor, action="consent", resource_type="consent",
                        person_ref=child_ref, reason="grant minor_data (guardian's signed form, at registration)")


async def get_resident(session: AsyncSession, *, resident_id: uuid.UUID, field: str = "resident_id") -> Resident:
    resident = await session.get(Resident, resident_id)
    if resident is None:
        raise NotFound(f"resident {resident_id} not found", [FieldError(field, "no such resident")])
    return resident


async def find_by_ref(session: AsyncSession, ref: str) -> Resident | None:
    return await session.scalar(select(Resident).where(Resident.person_ref == ref))


async def read_resident(session: AsyncSession, *, resident_id: uuid.UUID, viewer: Principal, today: date,
                        endpoint: str | None = None) -> dict:
    resident = await get_resident(session, resident_id=resident_id)
    own = viewer.person_ref is not None and viewer.person_ref == resident.person_ref
    if not (own or viewer.has_role("admin", "community", "auditor")):
        raise Forbidden("only community staff and the person may read this record")
    view = resident_view(resident, viewer=viewer, today=today)
    if not own:
        # Staff read one person's record (ID number and phone masked): who and when.
        await record_read(session, AuditEntry, principal=viewer, action="read", resource_type="resident",
                          resource_id=resident.id, person_ref=resident.person_ref, endpoint=endpoint)
    return view


async def reveal_field(session: AsyncSession, *, resident_id: uuid.UUID, viewer: Principal, request: RevealRequest,
                       endpoint: str | None) -> RevealResponse:
    """One field in full, with a reason, for community staff of the resident's street or the person; audited.
    Auditors read the records masked and reveal nothing."""
    resident = await get_resident(session, resident_id=resident_id)
    own = viewer.person_ref is not None and viewer.person_ref == resident.person_ref
    if not (own or sees_personal_data(viewer)):
        raise Forbidden("only community staff and the person may see the full value")
    if not own:
        ensure_street(viewer, resident.street_code)
    return await reveal(session, AuditEntry, principal=viewer, resource_type="resident", record_id=resident.id,
                        person_ref=resident.person_ref, request=request, value=getattr(resident, request.field),
                        endpoint=endpoint)


async def my_record(session: AsyncSession, *, viewer: Principal, today: date) -> dict:
    if not viewer.person_ref:
        raise Forbidden("this needs a resident account linked to a person (person_ref)")
    resident = await find_by_ref(session, viewer.person_ref)
    if resident is None:
        raise NotFound("you are not registered in a community household yet")
    household = await get_household(session, household_id=resident.household_id)
    return {"me": resident_view(resident, viewer=viewer, today=today),
            "household": household_view(household, viewer=viewer, today=today)}


async def acting_for(session: AsyncSession, *, viewer: Principal, resident_id: uuid.UUID | None,
                     now: datetime) -> Resident:
    """The person a request is for: staff name anyone (in their street); a resident names themself or a
    member of their own household (a parent enrolling a child), or nobody to mean themself. A child under 14
    only with their guardian's consent in force (409 otherwise)."""
    me = await find_by_ref(session, viewer.person_ref) if viewer.person_ref else None
    if resident_id is None:
        if me is None:
            raise InvalidInput("resident_id", "say who it is for (resident_id)")
        resident = me
    else:
        resident = await get_resident(session, resident_id=resident_id)
        if is_staff(viewer):
            ensure_street(viewer, resident.street_code)
        elif me is None or me.household_id != resident.household_id:
            raise Forbidden("a resident acts only for themself and their own household")
    await consent.ensure_guardian_consent(session, resident, today_of(now))
    return resident


async def household_member_ids(session: AsyncSession, *, viewer: Principal) -> list[uuid.UUID]:
    """The caller's household members (themself included); empty when not a registered resident."""
    me = await find_by_ref(session, viewer.person_ref) if viewer.person_ref else None
    if me is None:
        return []
    return list((await session.scalars(select(Resident.id).where(Resident.household_id == me.household_id))).all())


def _group_filter(stmt: Select, group: str, today: date) -> Select:
    elderly = Resident.birth_date <= birthday_cutoff(ELDERLY_AGE, today)
    conditions = {
        "elderly": elderly,
        "elderly_living_alone": elderly & Resident.lives_alone.is_(True),
        "child": Resident.birth_date > birthday_cutoff(ADULT_AGE, today),
        "infant": Resident.birth_date > birthday_cutoff(INFANT_AGE, today),
        "disabled": Resident.disabled.is_(True),
        "low_income": Resident.low_income.is_(True),
    }
    return stmt.where(conditions[group])


async def list_residents(session: AsyncSession, *, group: str | None, community_code: str | None,
                         household_id: uuid.UUID | None, today: date, limit: int,
                         cursor: str | None) -> tuple[list[Resident], str | None]:
    stmt = select(Resident)
    if group:
        stmt = _group_filter(stmt, group, today)
    if community_code:
        stmt = stmt.where(Resident.community_code == community_code)
    if household_id:
        stmt = stmt.where(Resident.household_id == household_id)
    return await paginate(session, stmt, sort_column=Resident.created_at, id_column=Resident.id, limit=limit,
                          cursor=cursor)


async def update_resident(session: AsyncSession, *, resident_id: uuid.UUID, data: ResidentUpdate,
                          actor: Principal, now: datetime) -> Resident:
    changes = data.model_dump(exclude_unset=True)
    for field in ("lives_alone", "disabled", "low_income", "household_id"):
        if field in changes and changes[field] is None:
            raise InvalidInput(field, "may not be null")
    async with unit_of_work(session):
        resident = await session.get(Resident, resident_id, with_for_update=True)
        if resident is None:
            raise NotFound(f"resident {resident_id} not found", [FieldError("resident_id", "no such resident")])
        ensure_street(actor, resident.street_code)
        await consent.ensure_guardian_consent(session, resident, today_of(now))
        if "household_id" in changes:
            target = await get_household(session, household_id=changes.pop("household_id"))
            ensure_street(actor, target.street_code)
            resident.household_id = target.id
            resident.street_code, resident.community_code = target.street_code, target.community_code
        for field, value in changes.items():
            setattr(resident, field, value)
        await record_access(session, AuditEntry, principal=actor, action="update", resource_type="resident",
                            resource_id=resident.id, person_ref=resident.person_ref,
                            fields=tuple(sorted(data.model_fields_set)))
    return resident


def mask_address(value: str) -> str:
    return value[:4] + "***" if len(value) > 4 else "***"


def resident_view(resident: Resident, *, viewer: Principal, today: date, family: bool = False) -> dict:
    """The resident as ``viewer`` may see them: the ID number and phone masked for everyone (``reveal_field``
    shows one, audited); the name for staff, the person and (``family``) their household (to enrol a child)."""
    own = viewer.person_ref is not None and viewer.person_ref == resident.person_ref
    entitled = own or sees_personal_data(viewer)
    return {
        "id": resident.id, "household_id": resident.household_id, "person_ref": resident.person_ref,
        "name": resident.name if entitled or family else mask_name(resident.name),
        "id_number": masked("id_number", resident.id_number), "phone": masked("phone", resident.phone),
        "sex": resident.sex, "birth_date": resident.birth_date, "age": age_on(resident.birth_date, today),
        "groups": groups_of(birth=resident.birth_date, today=today, lives_alone=resident.lives_alone,
                            disabled=resident.disabled, low_income=resident.low_income),
        "lives_alone": resident.lives_alone, "disabled": resident.disabled, "low_income": resident.low_income,
        "street_code": resident.street_code, "community_code": resident.community_code,
        "masked": not entitled, "created_at": resident.created_at,
    }


def household_view(household: Household, *, viewer: Principal, today: date) -> dict:
    member = _is_member(household, viewer)
    entitled = member or is_staff(viewer)
    return {
        "id": household.id, "label": household.label if entitled else mask_address(household.label),
        "address": household.address if entitled else mask_address(household.address),
        "street_code": household.street_code, "community_code": household.community_code,
        "latitude": household.latitude if entitled else None,
        "longitude": household.longitude if entitled else None,
        "members": [resident_view(m, viewer=viewer, today=today, family=member) for m in household.members],
        "created_at": household.created_at,
    }


def today_of(now: datetime) -> date:
    return local_date(now)
