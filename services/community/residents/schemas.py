from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.pagination import Page

_PHONE = r"^[0-9+\-]{5,20}$"


class HouseholdCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=100, description="Building, unit and flat, e.g. 振宁3幢2单元301")
    address: str = Field(min_length=1, max_length=200)
    community_code: str = Field(min_length=12, max_length=12, description="Community (社区/村) code")
    latitude: float | None = Field(None, description="Home (WGS-84): where 15-minute walks start")
    longitude: float | None = None


class HouseholdUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, min_length=1, max_length=200)
    latitude: float | None = None
    longitude: float | None = None


class ResidentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str = Field(min_length=18, max_length=18, description="Citizen ID number (GB 11643)")
    name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(None, pattern=_PHONE)
    lives_alone: bool = False
    disabled: bool = False
    low_income: bool = Field(False, description="低保/低边 household member (larger meal subsidy)")
    minor_data_consent: bool = Field(False, description="For a child under 14: the parent or guardian has signed "
                                     "the consent to process the child's data (recorded with the registration)")
    guardian_id: uuid.UUID | None = Field(None, description="For a child under 14: the resident (parent or "
                                          "guardian) who signed")


class ResidentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str | None = Field(None, pattern=_PHONE)
    lives_alone: bool | None = None
    disabled: bool | None = None
    low_income: bool | None = None
    household_id: uuid.UUID | None = Field(None, description="Moves the person to another household")


class ResidentRead(BaseModel):
    """ID number and phone are masked for everyone (``POST /residents/{id}/reveal`` shows one, audited); the
    name unless the caller is community staff, the person or their household (``masked`` says so)."""

    id: uuid.UUID
    household_id: uuid.UUID
    person_ref: str
    name: str
    id_number: str
    phone: str | None
    sex: Literal["M", "F"]
    birth_date: date
    age: int
    groups: list[str]
    lives_alone: bool
    disabled: bool
    low_income: bool
    street_code: str
    community_code: str
    masked: bool
    created_at: datetime


class HouseholdRead(BaseModel):
    id: uuid.UUID
    label: str
    address: str
    street_code: str
    community_code: str
    latitude: float | None
    longitude: float | None
    members: list[ResidentRead]
    created_at: datetime


class MyRecord(BaseModel):
    """A resident's own record and their household (whom they may enrol, book or order for)."""

    me: ResidentRead
    household: HouseholdRead


ResidentPage = Page[ResidentRead]
HouseholdPage = Page[HouseholdRead]
