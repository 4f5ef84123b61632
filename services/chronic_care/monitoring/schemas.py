from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.chronic_care.thresholds.rules import GlucoseContext, Grade, Measure
from shared.pagination import Page


class ReadingCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    patient_id: uuid.UUID
    measure: Measure
    systolic: int | None = Field(None, ge=40, le=300, description="mmHg")
    diastolic: int | None = Field(None, ge=20, le=200, description="mmHg; lower than systolic")
    pulse: int | None = Field(None, ge=20, le=250, description="beats per minute")
    glucose_mmol: float | None = Field(None, gt=0, le=60, description="mmol/L")
    glucose_context: GlucoseContext | None = None
    measured_at: datetime | None = Field(None, description="When measured (UTC); now if omitted")

    @field_validator("glucose_mmol")
    @classmethod
    def _two_decimals(cls, value: float | None) -> float | None:
        return None if value is None else round(value, 2)


class ReadingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    patient_id: uuid.UUID
    station_id: uuid.UUID
    measure: Measure
    systolic: int | None
    diastolic: int | None
    pulse: int | None
    glucose_mmol: float | None
    glucose_context: GlucoseContext | None
    measured_at: datetime
    source: Literal["staff", "device", "integration"]
    recorded_by: str
    grade: Grade
    direction: Literal["above", "below"] | None
    controlled: bool
    flagged: bool
    referral_id: uuid.UUID | None


ReadingPage = Page[ReadingRead]
