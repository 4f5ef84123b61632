from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from services.chronic_care.thresholds.rules import Measure


class ThresholdRead(BaseModel):
    condition: str
    measure: Measure
    values: dict
    source: str  # default | configured
    updated_by: str | None = None
    updated_at: datetime | None = None
