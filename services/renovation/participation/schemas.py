from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from services.renovation.participation.rules import Channel, Choice, OfflineChannel, PlanStatus
from shared.pagination import Page


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, max_length=20_000)
    project_id: uuid.UUID | None = Field(None, description="The project the plan is for; its estates vote")
    estate_ids: list[uuid.UUID] = Field(default_factory=list, max_length=100,
                                        description="Affected estates (default: the project's)")
    voting_closes_on: date | None = None


class PlanAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str | None = Field(None, max_length=20_000, description="Required to accept or reject")


class PlanTransitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    from_status: PlanStatus
    to_status: PlanStatus
    reason: str | None
    by: str
    at: datetime


class PlanRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    title: str
    summary: str
    project_id: uuid.UUID | None
    estate_ids: list[uuid.UUID]
    street_code: str
    status: PlanStatus
    voting_closes_on: date | None
    opened_at: datetime
    closed_at: datetime | None
    answer: str | None
    answered_at: datetime | None
    transitions: list[PlanTransitionRead]


PlanPage = Page[PlanRead]


class VoteCast(BaseModel):
    model_config = ConfigDict(extra="forbid")

    choice: Choice


class VoteRead(BaseModel):
    household_id: uuid.UUID
    household_label: str
    choice: Choice
    channel: Channel
    cast_at: datetime
    revisions: int


class OfflineVote(BaseModel):
    model_config = ConfigDict(extra="forbid")

    household_id: uuid.UUID
    choice: Choice
    cast_at: datetime = Field(description="When the household cast it (on the ballot), UTC")


class OfflineBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: OfflineChannel
    votes: list[OfflineVote] = Field(min_length=1, max_length=2000)


class MergeReport(BaseModel):
    """What a batch of paper/booth votes did: no household is ever counted twice."""

    recorded: int = Field(description="Households with no vote before")
    replaced: int = Field(description="Households whose earlier vote this ballot replaces")
    superseded: int = Field(description="Ballots older than the household's recorded vote: kept out")


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=5000)


class CommentRead(BaseModel):
    id: uuid.UUID
    body: str
    author_kind: str
    mine: bool
    created_at: datetime


CommentPage = Page[CommentRead]


class RatingCast(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=1, le=5)


class RatingRead(BaseModel):
    household_id: uuid.UUID
    score: int
    rated_at: datetime


class Satisfaction(BaseModel):
    ratings: int
    average: float | None
    distribution: dict[str, int]


class PlanResults(BaseModel):
    plan_id: uuid.UUID
    status: PlanStatus
    eligible_households: int
    voted_households: int
    turnout_pct: float | None
    choices: dict[str, int]
    by_channel: dict[str, int]
    approval_pct: float | None = Field(description="for / (for + against), abstentions aside")
    comments: int
    satisfaction: Satisfaction
