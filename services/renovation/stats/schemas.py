from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class Filters(BaseModel):
    year: int | None
    street_code: str | None


class Overview(BaseModel):
    """The renovation area's figures for the district's one-screen overview (一屏统览)."""

    area: str = "renovation"
    generated_at: datetime
    filters: Filters
    figures: dict[str, float | int]
    breakdowns: dict[str, dict[str, float | int]] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict, description="What each filter applies to")


class StreetRow(BaseModel):
    street_code: str
    street_name: str
    projects: int
    area_renovated_m2: float
    area_under_way_m2: float
    future_community_pilots: int
    beneficiaries: int
    spaces_commissioned: int
    satisfaction_avg: float | None


class ByStreet(BaseModel):
    area: str = "renovation"
    generated_at: datetime
    filters: Filters
    streets: list[StreetRow]


class FutureCommunityStats(BaseModel):
    area: str = "renovation"
    generated_at: datetime
    filters: Filters
    by_level_and_status: dict[str, dict[str, int]]
    beneficiaries_by_level: dict[str, int]
    scenarios: dict[str, dict[str, int]] = Field(description="scenario -> {pending, passed, failed}")
