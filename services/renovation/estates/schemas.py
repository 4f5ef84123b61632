from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shared.pagination import Page

PersonRef = Annotated[str, Field(pattern=r"^pr_[0-9a-f]{32}$",
                                 description="Pseudonymous person reference (never an ID number)")]


class EstateCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    community_code: str = Field(min_length=12, max_length=12, description="Community (社区/村) code")
    street_code: str | None = Field(None, min_length=9, max_length=9, description="Derived from the community")
    address: str | None = Field(None, max_length=300)
    built_year: int = Field(ge=1900, le=2100)
    floor_area_m2: float = Field(gt=0, le=10_000_000)
    households: int = Field(ge=0, le=100_000)
    buildings: int = Field(ge=1, le=1_000)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class EstateUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    address: str | None = Field(None, max_length=300)
    built_year: int | None = Field(None, ge=1900, le=2100)
    floor_area_m2: float | None = Field(None, gt=0, le=10_000_000)
    households: int | None = Field(None, ge=0, le=100_000)
    buildings: int | None = Field(None, ge=1, le=1_000)


class EstateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    street_code: str
    community_code: str
    address: str | None
    built_year: int
    floor_area_m2: float
    households: int
    buildings: int
    latitude: float | None
    longitude: float | None
    created_at: datetime


EstatePage = Page[EstateRead]


class HouseholdCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=60, description="Unit label, e.g. 3幢2单元501")
    member_refs: list[PersonRef] = Field(default_factory=list, max_length=20)


class MemberAdd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_ref: PersonRef


class HouseholdRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    estate_id: uuid.UUID
    label: str
    registered_at: datetime
    member_refs: list[str]


HouseholdPage = Page[HouseholdRead]


class MyHousehold(BaseModel):
    """A resident's own household: what they may vote and rate for."""

    household_id: uuid.UUID
    label: str
    estate_id: uuid.UUID
    estate_name: str
    community_code: str
