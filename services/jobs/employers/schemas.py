from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.jobs.employers.rules import EmployerSize, credit_code_problem
from shared.pagination import Page


class EmployerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    credit_code: str = Field(min_length=1, max_length=30, description="统一社会信用代码 (GB 32100)")
    street_code: str = Field(min_length=9, max_length=9)
    industry: str | None = Field(None, max_length=60)
    size: EmployerSize = "small"

    @field_validator("credit_code")
    @classmethod
    def _valid_code(cls, value: str) -> str:
        problem = credit_code_problem(value)
        if problem:
            raise ValueError(problem)
        return value.strip().upper()


class EmployerRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    credit_code: str
    street_code: str
    industry: str | None
    size: EmployerSize
    created_at: datetime


EmployerPage = Page[EmployerRead]
