from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from services.renovation.projects.rules import ProjectStatus, ScopeKind
from shared.pagination import Page


class ScopeItemCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ScopeKind
    description: str = Field(min_length=1, max_length=500)
    budget_fen: int = Field(0, ge=0, le=10**14)


class ScopeItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: ScopeKind
    description: str
    budget_fen: int


class ProjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    estate_ids: list[uuid.UUID] = Field(min_length=1, max_length=100, description="Estates the works cover")
    street_code: str | None = Field(None, min_length=9, max_length=12,
                                    description="Street (街道/镇); derived from the estates when omitted")
    programme_id: uuid.UUID | None = Field(None, description="Area-wide (片区化) programme it belongs to")
    description: str | None = Field(None, max_length=5000)
    area_m2: float | None = Field(None, gt=0, le=10_000_000,
                                  description="Floor area to renovate, m²; the estates' total when omitted")
    budget_fen: int = Field(ge=0, le=10**14, description="Budget in fen (1 yuan = 100 fen)")
    planned_start: date
    planned_end: date
    scope_items: list[ScopeItemCreate] = Field(default_factory=list, max_length=50)

    @field_validator("planned_end")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        # A field validator (not a model one) so the error names planned_end.
        start = info.data.get("planned_start")
        if start is not None and end < start:
            raise ValueError("must not be before planned_start")
        return end


class ProjectUpdate(BaseModel):
    """Changes to the plan; allowed until works start."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    area_m2: float | None = Field(None, gt=0, le=10_000_000)
    budget_fen: int | None = Field(None, ge=0, le=10**14)
    planned_start: date | None = None
    planned_end: date | None = None
    programme_id: uuid.UUID | None = None


class TransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: ProjectStatus
    to_status: ProjectStatus
    by: str
    at: datetime


class ProjectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    street_code: str
    estate_ids: list[uuid.UUID]
    programme_id: uuid.UUID | None
    description: str | None
    area_m2: float
    budget_fen: int
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    status: ProjectStatus
    progress_pct: int
    scope_items: list[ScopeItemRead]
    created_at: datetime
    transitions: list[TransitionRead]


ProjectPage = Page[ProjectRead]
