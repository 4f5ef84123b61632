"""Locations checked against the district's area tree."""

from __future__ import annotations

from shared.areas import xiaoshan
from shared.errors import InvalidInput


def check_street(code: str, field: str = "street_code") -> str:
    problem = xiaoshan().check(code, level="street")
    if problem:
        raise InvalidInput(field, problem)
    return code


def check_community(code: str, *, street_code: str, field: str = "community_code") -> str:
    problem = xiaoshan().check(code, level="community", within=street_code)
    if problem:
        raise InvalidInput(field, problem)
    return code


def street_name(code: str) -> str:
    area = xiaoshan().get(code)
    return area.name if area else code
