from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.jobs.seekers.rules import Education, PriorityGroup, Stage
from shared.identity import InvalidIdNumber, is_valid_mobile, normalise_id_number
from shared.pagination import Page


def check_phone(value: str | None) -> str | None:
    if value is not None and not is_valid_mobile(value):
        raise ValueError("must be an 11-digit mainland mobile number")
    return value.strip() if value else value


def check_terms(values: list[str]) -> list[str]:
    for value in values:
        if not 1 <= len(value.strip()) <= 40:
            raise ValueError("each entry has 1 to 40 characters")
    return values


class SeekerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: str = Field(min_length=1, max_length=30, description="Citizen ID number (GB 11643)")
    name: str = Field(min_length=1, max_length=50)
    phone: str | None = Field(None, max_length=20)
    street_code: str = Field(min_length=9, max_length=9, description="Street (街道/镇) of residence")
    community_code: str | None = Field(None, min_length=12, max_length=12)
    household_id: uuid.UUID | None = Field(None, description="Household watched for zero employment")
    priority_groups: list[PriorityGroup] = Field(default_factory=list, max_length=6)
    skills: list[str] = Field(default_factory=list, max_length=20)
    desired_posts: list[str] = Field(default_factory=list, max_length=10)
    desired_salary_min_fen: int | None = Field(None, ge=0, le=10**9, description="Monthly, in fen")
    education: Education | None = None
    caseworker: str | None = Field(None, min_length=1, max_length=120, description="Defaults to the registrar")

    @field_validator("id_number")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        try:
            return normalise_id_number(value)
        except InvalidIdNumber as exc:
            raise ValueError(str(exc)) from exc

    @field_validator("phone")
    @classmethod
    def _valid_phone(cls, value: str | None) -> str | None:
        return check_phone(value)

    @field_validator("skills", "desired_posts")
    @classmethod
    def _terms(cls, values: list[str]) -> list[str]:
        return check_terms(values)


class SeekerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phone: str | None = Field(None, max_length=20)
    community_code: str | None = Field(None, min_length=12, max_length=12)
    priority_groups: list[PriorityGroup] | None = Field(None, max_length=6)
    skills: list[str] | None = Field(None, max_length=20)
    desired_posts: list[str] | None = Field(None, max_length=10)
    desired_salary_min_fen: int | None = Field(None, ge=0, le=10**9)
    education: Education | None = None
    caseworker: str | None = Field(None, min_length=1, max_length=120)

    @field_validator("phone")
    @classmethod
    def _valid_phone(cls, value: str | None) -> str | None:
        return check_phone(value)

    @field_validator("skills", "desired_posts")
    @classmethod
    def _terms(cls, values: list[str] | None) -> list[str] | None:
        return check_terms(values) if values is not None else None


class ReopenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200)


class StageChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_stage: Stage | None
    to_stage: Stage
    by: str
    at: datetime
    reason: str | None


class SeekerRead(BaseModel):
    id: uuid.UUID
    person_ref: str
    id_number: str = Field(description="Masked unless the caller is the person or an authorised officer")
    name: str
    phone: str | None
    identity_masked: bool = Field(description="ID number and phone are masked (always: POST .../reveal shows one)")
    sex: str
    age: int
    street_code: str
    community_code: str | None
    household_id: uuid.UUID | None
    priority_groups: list[PriorityGroup]
    skills: list[str]
    desired_posts: list[str]
    desired_salary_min_fen: int | None
    education: Education | None
    caseworker: str
    stage: Stage
    registered_at: datetime
    last_contact_at: datetime | None
    placed_at: datetime | None
    closed_at: datetime | None
    stage_changes: list[StageChangeRead] = Field(default_factory=list)


SeekerPage = Page[SeekerRead]
