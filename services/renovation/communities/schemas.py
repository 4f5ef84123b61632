from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.renovation.communities.rules import CommunityStatus, Level, Scenario
from shared.pagination import Page


class FutureCommunityCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="e.g. 振宁未来社区")
    community_code: str = Field(min_length=12, max_length=12)
    level: Level
    batch: str = Field(min_length=1, max_length=60, description="Declaration batch, e.g. 2022年第一批")
    applied_on: date
    beneficiaries: int = Field(0, ge=0, le=10_000_000)
    scenarios: list[Scenario] = Field(default_factory=lambda: ["one_old_one_young"], min_length=1, max_length=10)


class FutureCommunityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    batch: str | None = Field(None, min_length=1, max_length=60)
    beneficiaries: int | None = Field(None, ge=0, le=10_000_000)


class TransitionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=2000, description="Required to reject")


class ScenarioInspectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inspected_on: date
    passed: bool
    note: str | None = Field(None, max_length=2000)


class ScenarioInspectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    inspected_on: date
    passed: bool
    note: str | None
    by: str
    recorded_at: datetime


class ScenarioRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    scenario: Scenario
    status: str
    inspected_on: date | None
    inspections: list[ScenarioInspectionRead]


class CommunityTransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: CommunityStatus
    to_status: CommunityStatus
    reason: str | None
    by: str
    at: datetime


class FutureCommunityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    community_code: str
    street_code: str
    level: Level
    batch: str
    applied_on: date
    beneficiaries: int
    status: CommunityStatus
    decision_reason: str | None
    accepted_on: date | None
    scenarios: list[ScenarioRead]
    transitions: list[CommunityTransitionRead]
    created_at: datetime


FutureCommunityPage = Page[FutureCommunityRead]
