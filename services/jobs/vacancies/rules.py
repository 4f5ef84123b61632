"""Vacancy rules (pure): open/closed, headcount, salary range."""

from __future__ import annotations

from typing import Literal

VacancyStatus = Literal["open", "closed"]


def refusal(status: str, action: str, *, filled: int = 0, headcount: int = 0) -> str | None:
    if action == "close" and status != "open":
        return "the vacancy is already closed"
    if action == "reopen":
        if status != "closed":
            return "the vacancy is open"
        if filled >= headcount:
            return "every post is filled: raise the headcount first"
    if action == "fill":
        if status != "open":
            return "the vacancy is closed"
        if filled >= headcount:
            return "every post of this vacancy is filled"
    return None
