from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.jobs.households.rules import HouseholdStatus
from shared.pagination import Page


class MemberCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str = Field(min_length=15, max_length=18, description="Turned into person_ref; not kept")
    employed: bool = False


class HouseholdCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    street_code: str = Field(min_length=9, max_length=9)
    community_code: str | None = Field(None, min_length=12, max_length=12)
    label: str | None = Field(None, max_length=100, description="Building/unit, for officers")
    members: list[MemberCreate] = Field(min_length=1, max_length=20)


class EmploymentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employed: bool
    note: str | None = Field(None, max_length=200)


class MemberRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    person_ref: str
    working_age: bool
    employed: bool
    seeker_id: uuid.UUID | None


class ChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: HouseholdStatus | None
    to_status: HouseholdStatus
    cause: str
    by: str
    at: datetime


class HouseholdRead(BaseModel):
    id: uuid.UUID
    street_code: str
    community_code: str | None
    label: str | None
    status: HouseholdStatus
    flagged_at: datetime | None
    cleared_at: datetime | None
    members: list[MemberRead]
    changes: list[ChangeRead]


HouseholdPage = Page[HouseholdRead]
