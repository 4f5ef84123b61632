from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from services.community.escalation.rules import ASSIGNEE


class DutyChainIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    levels: list[str] = Field(min_length=1, max_length=10,
                              description="Staff subjects or duty posts, lowest first: level 0 gets new orders")

    @field_validator("levels")
    @classmethod
    def _subjects(cls, levels: list[str]) -> list[str]:
        for i, level in enumerate(levels):
            if not re.match(ASSIGNEE, level):
                raise ValueError(f"levels[{i}] is not a staff subject or post")
        return levels


class DutyChainRead(BaseModel):
    community_code: str
    levels: list[str]
    ack_limits_seconds: dict[str, int]
    configured: bool = Field(description="False: the service's default chain applies")
    updated_by: str | None
    updated_at: datetime | None
