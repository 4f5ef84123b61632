from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.renovation.acceptance.rules import DefectStatus, Severity


class DefectFound(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1, max_length=1000)
    severity: Severity = "minor"


class InspectionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inspected_on: date
    inspector: str = Field(min_length=1, max_length=200, description="The inspecting body or team")
    defects: list[DefectFound] = Field(default_factory=list, max_length=200, description="New defects found")
    reopened_defect_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=200, description="Rectified defects whose rectification is not accepted")
    note: str | None = Field(None, max_length=2000)


class RectificationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rectified_on: date
    note: str | None = Field(None, max_length=1000)


class DefectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    found_in_id: uuid.UUID
    description: str
    severity: Severity
    status: DefectStatus
    rectified_on: date | None
    rectification_note: str | None
    verified_in_id: uuid.UUID | None


class InspectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    project_id: uuid.UUID
    round: int
    inspected_on: date
    inspector: str
    passed: bool
    note: str | None
    recorded_by: str
    recorded_at: datetime


class AcceptanceRead(BaseModel):
    """The acceptance file of a project: every round and every defect."""

    project_id: uuid.UUID
    project_status: str
    inspections: list[InspectionRead]
    defects: list[DefectRead]
    open_defects: int
