from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.chronic_care.labs.rules import LabStatus, TestCode
from shared.pagination import Page


class LabTestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    test_code: TestCode


class LabSample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    taken_at: datetime | None = Field(None, description="When the sample was taken; now if omitted")


class LabResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: float | None = Field(None, ge=0, le=1_000_000)
    unit: str | None = Field(None, min_length=1, max_length=30)
    text: str | None = Field(None, min_length=1, max_length=2000)
    abnormal: bool


class LabTestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    station_id: uuid.UUID
    test_code: TestCode
    status: LabStatus
    ordered_by: str
    ordered_at: datetime
    sample_taken_at: datetime | None
    resulted_at: datetime | None
    result_value: float | None
    result_unit: str | None
    result_text: str | None
    abnormal: bool | None
    cancelled_at: datetime | None


LabTestPage = Page[LabTestRead]
