"""Where things are, for every service: area codes checked against the district tree (an InvalidInput naming
the field otherwise), coordinates checked against Xiaoshan."""

from __future__ import annotations

from shared.areas import xiaoshan
from shared.errors import InvalidInput

# Xiaoshan district's extent (WGS-84) with a small margin: a point outside it is a typo or swapped lat/lon.
LAT_RANGE = (29.80, 30.45)
LON_RANGE = (120.05, 120.80)


def check_street(code: str, field: str = "street_code") -> str:
    problem = xiaoshan().check(code, level="street")
    if problem:
        raise InvalidInput(field, problem)
    return code


def check_community(code: str, *, field: str = "community_code", street_code: str | None = None) -> str:
    problem = xiaoshan().check(code, level="community", within=street_code)
    if problem:
        raise InvalidInput(field, problem)
    return code


def street_of(community_code: str) -> str:
    street = xiaoshan().street_of(community_code)
    if street is None:
        raise InvalidInput("community_code", f"{community_code} belongs to no street")
    return street.code


def check_coordinates(latitude: float, longitude: float) -> None:
    if not LAT_RANGE[0] <= latitude <= LAT_RANGE[1]:
        raise InvalidInput("latitude", f"must be within Xiaoshan ({LAT_RANGE[0]}..{LAT_RANGE[1]} N, WGS-84)")
    if not LON_RANGE[0] <= longitude <= LON_RANGE[1]:
        raise InvalidInput("longitude", f"must be within Xiaoshan ({LON_RANGE[0]}..{LON_RANGE[1]} E, WGS-84)")


def street_name(code: str) -> str:
    area = xiaoshan().get(code)
    return area.name if area else code
