from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from services.renovation.spaces.rules import ServiceType, SpaceKind, SpaceStatus
from shared.pagination import Page


class SpaceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    kind: SpaceKind
    community_code: str = Field(min_length=12, max_length=12)
    estate_id: uuid.UUID | None = None
    address: str | None = Field(None, max_length=300)
    latitude: float = Field(ge=-90, le=90, description="WGS-84")
    longitude: float = Field(ge=-180, le=180, description="WGS-84")
    area_m2: float = Field(gt=0, le=100_000)
    service_type: ServiceType | None = Field(None, description="Allocate at once (optional)")


class Allocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_type: ServiceType


class SpaceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: SpaceKind
    street_code: str
    community_code: str
    estate_id: uuid.UUID | None
    address: str | None
    latitude: float
    longitude: float
    area_m2: float
    status: SpaceStatus
    service_type: ServiceType | None
    allocated_at: datetime | None
    commissioned_at: datetime | None
    created_at: datetime


SpacePage = Page[SpaceRead]
