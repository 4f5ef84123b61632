"""Acceptance (验收) of a completed project, as pure rules.

An inspection round records the defects it finds; each is rectified, then a re-inspection checks the
rectifications (it may reopen any it does not accept). A round passes only when it finds nothing new,
reopens nothing, and no defect is left open: then the project is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

Severity = Literal["minor", "major"]
DefectStatus = Literal["open", "rectified", "verified"]


def round_passes(*, new_defects: int, reopened: int, statuses_before: Iterable[str]) -> bool:
    """Whether an inspection round passes, given the defects' statuses before it."""
    return new_defects == 0 and reopened == 0 and all(s != "open" for s in statuses_before)


def can_reopen(status: str) -> bool:
    # Only a claimed rectification can be refused; an open defect is already open, a verified one is closed.
    return status == "rectified"


def can_rectify(status: str) -> bool:
    return status == "open"
