from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from services.jobs.seekers.schemas import check_terms
from services.jobs.vacancies.rules import VacancyStatus
from shared.pagination import Page


class VacancyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    employer_id: uuid.UUID
    title: str = Field(min_length=1, max_length=100)
    description: str | None = Field(None, max_length=5000)
    skills: list[str] = Field(default_factory=list, max_length=20)
    salary_min_fen: int = Field(ge=0, le=10**9, strict=True, description="Monthly, in fen")  # strict: no bools
    salary_max_fen: int = Field(ge=0, le=10**9, strict=True, description="Monthly, in fen")
    street_code: str = Field(min_length=9, max_length=9, description="Where the work is")
    community_code: str | None = Field(None, min_length=12, max_length=12)
    location: str | None = Field(None, max_length=200)
    headcount: int = Field(ge=1, le=10_000)
    public_welfare: bool = Field(False, description="A public-welfare post (公益性岗位)")

    @field_validator("skills")
    @classmethod
    def _terms(cls, values: list[str]) -> list[str]:
        return check_terms(values)

    @field_validator("salary_max_fen")
    @classmethod
    def _range(cls, value: int, info: ValidationInfo) -> int:
        low = info.data.get("salary_min_fen")
        if low is not None and value < low:
            raise ValueError("must not be below salary_min_fen")
        return value


class VacancyUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=100)
    description: str | None = Field(None, max_length=5000)
    skills: list[str] | None = Field(None, max_length=20)
    salary_min_fen: int | None = Field(None, ge=0, le=10**9, strict=True)
    salary_max_fen: int | None = Field(None, ge=0, le=10**9, strict=True)
    location: str | None = Field(None, max_length=200)
    headcount: int | None = Field(None, ge=1, le=10_000)

    @field_validator("skills")
    @classmethod
    def _terms(cls, values: list[str] | None) -> list[str] | None:
        return check_terms(values) if values is not None else None


class VacancyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    employer_id: uuid.UUID
    title: str
    description: str | None
    skills: list[str]
    salary_min_fen: int
    salary_max_fen: int
    street_code: str
    community_code: str | None
    location: str | None
    headcount: int
    filled: int
    openings: int
    status: VacancyStatus
    public_welfare: bool
    opened_at: datetime
    closed_at: datetime | None


VacancyPage = Page[VacancyRead]
