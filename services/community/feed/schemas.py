from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class FeedMessage(BaseModel):
    seq: int = Field(description="Position in the feed; the SSE event id")
    at: datetime
    kind: str = Field(description="alert.raised, alert.repeated, workorder.<status>, workorder.escalated, "
                                  "workorder.assigned, visit.created, visit.completed")
    street_code: str | None
    community_code: str | None
    data: dict


class FeedPage(BaseModel):
    items: list[FeedMessage]
    last_seq: int = Field(description="Pass as `after` to continue")
