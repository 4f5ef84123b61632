"""Dates and times in query strings, accepted only as ISO 8601 text.

Pydantic's lax mode reads a number as a Unix timestamp (``?starts_from=0`` became 1970-01-01, found by the
fuzzer): a client that sent a number meant something else, so it gets a 422 naming the parameter instead.
The OpenAPI schema stays ``format: date`` / ``date-time``. A date-time without an offset is the district's
local time (China Standard Time, UTC+8): storage compares aware instants, and a naive one was a 500.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|z|[+-]\d{2}(:?\d{2})?)?)?")


def _shaped(pattern: re.Pattern[str], expected: str):
    def check(value: object) -> object:
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise ValueError(f"expected {expected}")
        if isinstance(value, int | float):
            raise ValueError(f"expected {expected}, not a number")
        return value

    return check


CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def _local_if_naive(value: datetime) -> datetime:
    return value.replace(tzinfo=CHINA_STANDARD_TIME) if value.tzinfo is None else value


IsoDate = Annotated[date, BeforeValidator(_shaped(_DATE, "a date as YYYY-MM-DD"))]
IsoDateTime = Annotated[datetime, BeforeValidator(_shaped(_DATETIME, "an ISO 8601 date-time")),
                        AfterValidator(_local_if_naive)]
