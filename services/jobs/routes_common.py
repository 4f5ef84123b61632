"""Query parameters every list shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Query

from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]
StreetCode = Annotated[str | None, Query(min_length=9, max_length=9, description="Street (街道/镇) code")]
IdempotencyKey = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=100)]
DEFAULT_LIMIT = DEFAULT_PAGE_SIZE
