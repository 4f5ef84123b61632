"""A uniqueness race lost at commit (two requests passing the same check at once) is a 409, not a 500."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from shared.errors import Conflict, FieldError


@contextmanager
def conflict_on_duplicate(detail: str, field: str) -> Iterator[None]:
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(detail, [FieldError(field, "already exists")]) from exc
