from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from shared.pagination import Page


class TimelineEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    occurred_at: datetime
    kind: str
    ref_id: uuid.UUID
    summary: str
    source: str


TimelinePage = Page[TimelineEntryRead]
