from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class MilestoneCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    planned_date: date
    public: bool = Field(True, description="Shown on the residents' timeline")


class ProgressReport(BaseModel):
    model_config = ConfigDict(extra="forbid")

    progress_pct: int = Field(ge=0, le=100)
    note: str | None = Field(None, max_length=1000)


class MilestoneUpdateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    progress_pct: int
    note: str | None
    by: str
    at: datetime


class MilestoneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    project_id: uuid.UUID
    name: str
    planned_date: date
    progress_pct: int
    completed_on: date | None
    public: bool
    updates: list[MilestoneUpdateRead]


class PublicMilestone(BaseModel):
    name: str
    planned_date: date
    progress_pct: int
    completed_on: date | None


class PublicProject(BaseModel):
    """A project as residents see it: where it stands, not who did what."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    status: str
    progress_pct: int
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None


class TimelineEntry(BaseModel):
    at: datetime
    kind: Literal["status", "progress", "inspection"]
    title: str
    status: str | None = None
    progress_pct: int | None = None
    note: str | None = None


class Timeline(BaseModel):
    """What residents see of a project: no staff names, only what was done and when."""

    project_id: uuid.UUID
    name: str
    status: str
    progress_pct: int
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None
    milestones: list[PublicMilestone]
    entries: list[TimelineEntry]
