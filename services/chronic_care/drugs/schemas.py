from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.pagination import Page

DrugForm = Literal["tablet", "sustained_release_tablet", "capsule", "granules", "oral_liquid", "injection",
                   "inhaler", "patch", "ointment", "drops", "pill"]


class DrugCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    generic_name: str = Field(min_length=1, max_length=200, description="通用名, e.g. 苯磺酸氨氯地平")
    form: DrugForm
    strength: str = Field(min_length=1, max_length=60, description="e.g. 5mg, 0.5g, 300IU/3ml")
    unit: str = Field("盒", min_length=1, max_length=20, description="The unit dispensed and stocked")


class DrugRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    code: str
    generic_name: str
    form: DrugForm
    strength: str
    unit: str


DrugPage = Page[DrugRead]
