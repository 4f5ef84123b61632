from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from services.jobs.seekers.rules import PriorityGroup, Stage


class ReasonRead(BaseModel):
    factor: str = Field(description="skills | post | place | salary | priority")
    points: float
    max_points: int
    detail: str


class VacancyMatch(BaseModel):
    vacancy_id: uuid.UUID
    title: str
    employer_id: uuid.UUID
    street_code: str
    salary_min_fen: int
    salary_max_fen: int
    openings: int
    public_welfare: bool
    score: float = Field(description="0-100")
    reasons: list[ReasonRead]


class SeekerMatch(BaseModel):
    seeker_id: uuid.UUID
    seeker_name: str
    stage: Stage
    street_code: str
    priority_groups: list[PriorityGroup]
    score: float = Field(description="0-100")
    reasons: list[ReasonRead]


class VacanciesForSeeker(BaseModel):
    seeker_id: uuid.UUID
    candidates_considered: int
    items: list[VacancyMatch]


class SeekersForVacancy(BaseModel):
    vacancy_id: uuid.UUID
    candidates_considered: int
    items: list[SeekerMatch]
