from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer, field_validator

from services.community.stations.rules import ServiceName, StationKind
from shared.pagination import Page

_PHONE = r"^[0-9+\-]{5,20}$"


class OpeningSpan(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: list[int] = Field(min_length=1, max_length=7, description="ISO weekdays, 1 = Monday ... 7 = Sunday")
    opens: time = Field(description="Local time (UTC+8), e.g. 08:00")
    closes: time

    @field_serializer("opens", "closes")
    def _hhmm(self, value: time) -> str:
        return value.strftime("%H:%M")

    @field_validator("days")
    @classmethod
    def _weekdays(cls, days: list[int]) -> list[int]:
        if any(not 1 <= d <= 7 for d in days):
            raise ValueError("days are ISO weekdays 1..7")
        return sorted(set(days))


class StationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: StationKind
    services: list[ServiceName] | None = Field(None, max_length=8,
                                               description="What it offers; the kind's usual services if omitted")
    community_code: str = Field(min_length=12, max_length=12)
    address: str | None = Field(None, max_length=200)
    latitude: float
    longitude: float
    opening_hours: list[OpeningSpan] = Field(default_factory=list, max_length=21)
    phone: str | None = Field(None, pattern=_PHONE)
    area_m2: float | None = Field(None, gt=0, le=100_000)
    meal_price_fen: int | None = Field(None, ge=0, le=100_000, description="Canteens: price of one meal, in fen")


class StationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    services: list[ServiceName] | None = Field(None, min_length=1, max_length=8)
    address: str | None = Field(None, max_length=200)
    opening_hours: list[OpeningSpan] | None = Field(None, max_length=21)
    phone: str | None = Field(None, pattern=_PHONE)
    meal_price_fen: int | None = Field(None, ge=0, le=100_000)
    status: Literal["open", "closed"] | None = None


class StationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: StationKind
    services: list[str]
    street_code: str
    community_code: str | None
    address: str | None
    latitude: float
    longitude: float
    opening_hours: list[dict]
    phone: str | None
    area_m2: float | None
    meal_price_fen: int | None
    status: Literal["open", "closed"]
    source_space_id: uuid.UUID | None
    created_at: datetime


class NearbyStation(StationRead):
    distance_m: int = Field(description="Straight-line distance")
    walk_minutes: float = Field(description="Walking time under the walking model")
    open_now: bool


class WalkingModelRead(BaseModel):
    minutes: float
    speed_m_per_min: float
    detour_factor: float
    max_walk_m: int = Field(description="Walking distance covered in `minutes`")
    max_straight_line_m: int
    description: str


class Origin(BaseModel):
    latitude: float
    longitude: float
    source: Literal["point", "household"]


class NearbyResult(BaseModel):
    origin: Origin
    walking_model: WalkingModelRead
    items: list[NearbyStation] = Field(description="Nearest first")


StationPage = Page[StationRead]
