"""Stations as pure rules: kinds and services, opening hours, and the walking model of the 15-minute circle.

Walking model: a station is within ``minutes`` of a point when the straight-line (great-circle) distance,
stretched by a detour factor for the street network, takes at most ``minutes`` at the walking speed. The
defaults (66.7 m/min = 4 km/h, detour 1.3) put the 15-minute circle at 1000 m of walking, 770 m as the crow
flies: the size GB 50180-2018 gives the 15-minute living circle. Both numbers are settings.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import datetime, time
from typing import Literal

from services.community.localtime import CST

StationKind = Literal["five_in_one", "canteen", "childcare", "children_home", "disability_home", "health_station",
                      "elderly_care", "minors_protection", "neighbourhood"]
ServiceName = Literal["elderly_care", "canteen", "childcare", "children_home", "disability_home",
                      "minors_protection", "health", "neighbourhood"]
SERVICES: tuple[str, ...] = ("elderly_care", "canteen", "childcare", "children_home", "disability_home",
                             "minors_protection", "health", "neighbourhood")
# What a station of each kind offers unless told otherwise. The five-in-one station (五位一体驿站) joins home
# care for the elderly with a shared canteen, the minors' protection post, the children's home and the
# disability home.
DEFAULT_SERVICES: dict[str, tuple[str, ...]] = {
    "five_in_one": ("elderly_care", "canteen", "minors_protection", "children_home", "disability_home"),
    "canteen": ("canteen",),
    "childcare": ("childcare",),
    "children_home": ("children_home",),
    "disability_home": ("disability_home",),
    "health_station": ("health",),
    "elderly_care": ("elderly_care",),
    "minors_protection": ("minors_protection",),
    "neighbourhood": ("neighbourhood",),
}
# Renovation's service types for a commissioned space -> the station it becomes.
KIND_OF_SPACE: dict[str, str] = {
    "childcare": "childcare", "elderly_care": "elderly_care", "health": "health_station",
    "neighbourhood": "neighbourhood", "canteen": "canteen",
}
EARTH_RADIUS_M = 6_371_008.8


def services_of(kind: str, given: list[str] | None) -> list[str]:
    return sorted(set(given if given else DEFAULT_SERVICES[kind]))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class WalkingModel:
    speed_m_per_min: float = 66.7
    detour_factor: float = 1.3

    def minutes(self, straight_line_m: float) -> float:
        return straight_line_m * self.detour_factor / self.speed_m_per_min

    def reach_m(self, minutes: float) -> float:
        """The straight-line radius walkable in ``minutes``."""
        return minutes * self.speed_m_per_min / self.detour_factor

    @staticmethod
    def box(latitude: float, longitude: float, radius_m: float) -> tuple[float, float, float, float]:
        """(min lat, max lat, min lon, max lon) enclosing the circle: a cheap index filter before the
        exact distance."""
        dlat = math.degrees(radius_m / EARTH_RADIUS_M)
        dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(latitude)), 1e-6)))
        return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def hours_problem(hours: list[dict]) -> str | None:
    """Why a week of opening hours is not acceptable, or None."""
    for i, span in enumerate(hours):
        if span["closes"] <= span["opens"]:
            return f"[{i}] closes must be after opens (overnight opening is two spans)"
    for day in range(1, 8):
        spans = sorted((s["opens"], s["closes"]) for s in hours if day in s["days"])
        for (_, closes), (opens, _) in itertools.pairwise(spans):
            if opens < closes:
                return f"spans overlap on day {day}"
    return None


def _as_time(value: str | time) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def is_open(hours: list[dict], at: datetime) -> bool:
    """Open at the instant ``at`` (local weekday and time)."""
    local = at.astimezone(CST)
    weekday, clock = local.isoweekday(), local.time().replace(tzinfo=None)
    return any(weekday in span["days"] and _as_time(span["opens"]) <= clock < _as_time(span["closes"])
               for span in hours)
