from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.renovation.projects.rules import ProjectStatus
from shared.pagination import Page


class ProjectCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    street_code: str = Field(min_length=9, max_length=12, description="Street (街道/镇) code from the area tree")
    area_m2: float = Field(gt=0, le=10_000_000, description="Floor area to renovate, m²")
    budget_fen: int = Field(ge=0, le=10**14, description="Budget in fen (1 yuan = 100 fen)")
    planned_start: date
    planned_end: date

    @model_validator(mode="after")
    def _end_after_start(self):
        if self.planned_end < self.planned_start:
            raise ValueError("planned_end must not be before planned_start")
        return self


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
    area_m2: float
    budget_fen: int
    planned_start: date
    planned_end: date
    status: ProjectStatus
    created_at: datetime
    transitions: list[TransitionRead]


ProjectPage = Page[ProjectRead]
