from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.pagination import Page


class ProgrammeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    year: int = Field(ge=2000, le=2100, description="Year the area-wide renovation starts")
    community_codes: list[str] = Field(min_length=1, max_length=500,
                                       description="Communities (社区/村) renovated together")
    description: str | None = Field(None, max_length=5000)


class ProgrammeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    year: int
    description: str | None
    community_codes: list[str]
    created_at: datetime


ProgrammePage = Page[ProgrammeRead]


class ProgrammeSummary(BaseModel):
    projects: int
    projects_by_status: dict[str, int]
    area_m2: float
    budget_fen: int
    progress_pct: int = Field(description="Mean progress of its projects (accepted and completed count as 100)")
    communities: int
    communities_with_projects: int


class ProgrammeDetail(ProgrammeRead):
    summary: ProgrammeSummary
