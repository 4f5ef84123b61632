from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from shared.pagination import Page


class StationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)
    street_code: str = Field(min_length=9, max_length=12, description="Street (街道/镇) code from the area tree")
    community_code: str | None = Field(None, min_length=12, max_length=12, description="Village/community code")
    staff: list[str] = Field(default_factory=list, max_length=100, description="Subjects of the station's staff")


class StaffRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    subject: str
    added_at: datetime


class StationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    name: str
    street_code: str
    community_code: str | None
    staff: list[StaffRead]
    created_at: datetime


StationPage = Page[StationRead]
