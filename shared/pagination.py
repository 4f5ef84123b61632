"""Cursor (keyset) pagination: the cost of a page does not grow with its depth."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from shared.errors import InvalidInput

T = TypeVar("T")
MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(None, description="Pass as `cursor` to get the next page; null on the last.")


def encode_cursor(sort_value: Any, row_id: uuid.UUID) -> str:
    if isinstance(sort_value, datetime):
        sort_value = {"dt": sort_value.isoformat()}
    raw = json.dumps([sort_value, str(row_id)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        sort_value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if isinstance(sort_value, dict) and "dt" in sort_value:
            sort_value = datetime.fromisoformat(sort_value["dt"])
        return sort_value, uuid.UUID(row_id)
    except Exception as exc:  # any malformed cursor is the client's error, never a 500
        raise InvalidInput("cursor", "is not a cursor this API issued") from exc


async def paginate(
    session: AsyncSession, stmt: Select, *, sort_column, id_column, limit: int, cursor: str | None,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """Rows of ``stmt`` ordered by (sort_column, id), after ``cursor``; returns (rows, next_cursor)."""
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput("limit", f"must be between 1 and {MAX_PAGE_SIZE}")
    if cursor:
        value, row_id = decode_cursor(cursor)
        key = tuple_(sort_column, id_column)
        stmt = stmt.where(key < tuple_(value, row_id) if descending else key > tuple_(value, row_id))
    order = (sort_column.desc(), id_column.desc()) if descending else (sort_column, id_column)
    rows = list((await session.execute(stmt.order_by(*order).limit(limit + 1))).scalars())
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, sort_column.key), getattr(last, id_column.key))
    return rows, next_cursor
