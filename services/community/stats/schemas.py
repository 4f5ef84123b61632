from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Filters(BaseModel):
    year: int | None
    street_code: str | None


class Overview(BaseModel):
    """The community area's figures for the district's one-screen overview (一屏统览)."""

    area: str = "community"
    generated_at: datetime
    filters: Filters
    figures: dict[str, float | int]
    breakdowns: dict[str, dict[str, float | int]] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict, description="What each filter applies to")
