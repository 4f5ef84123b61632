"""The district's administrative-area tree (district → street → community/village → grid) as reference data.

Every service validates locations against it and groups statistics by street. The data lives in
``reference/xiaoshan_areas.json`` so it can be updated without touching code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

_DATA = Path(__file__).with_name("reference") / "xiaoshan_areas.json"


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    level: str  # district | street | community | grid
    parent_code: str | None
    children: tuple[str, ...] = field(default=())


class AreaTree:
    def __init__(self, root: dict):
        self._by_code: dict[str, Area] = {}
        self._by_name: dict[tuple[str, str], Area] = {}
        self.root = self._add(root, None)

    def _add(self, node: dict, parent: str | None) -> Area:
        kids = tuple(self._add(child, node["code"]).code for child in node.get("children", ()))
        area = Area(node["code"], node["name"], node["level"], parent, kids)
        self._by_code[area.code] = area
        self._by_name.setdefault((area.level, area.name), area)
        return area

    def get(self, code: str) -> Area | None:
        return self._by_code.get(code)

    def by_name(self, level: str, name: str) -> Area | None:
        return self._by_name.get((level, name))

    def streets(self) -> list[Area]:
        return [self._by_code[c] for c in self.root.children]

    def children(self, code: str) -> list[Area]:
        area = self._by_code.get(code)
        return [self._by_code[c] for c in area.children] if area else []

    def street_of(self, code: str) -> Area | None:
        """The street (or town) an area belongs to, itself if it is one."""
        area = self._by_code.get(code)
        while area is not None and area.level not in ("street",):
            area = self._by_code.get(area.parent_code) if area.parent_code else None
        return area

    def is_street(self, code: str) -> bool:
        area = self._by_code.get(code)
        return area is not None and area.level == "street"

    def is_within(self, code: str, ancestor_code: str) -> bool:
        area = self._by_code.get(code)
        while area is not None:
            if area.code == ancestor_code:
                return True
            area = self._by_code.get(area.parent_code) if area.parent_code else None
        return False

    def check(self, code: str, *, level: str | None = None, within: str | None = None) -> str | None:
        """Why ``code`` is not an acceptable location, or None when it is."""
        area = self._by_code.get(code)
        if area is None:
            return f"unknown area code {code!r}"
        if level and area.level != level:
            return f"{code} is a {area.level}, expected a {level}"
        if within and not self.is_within(code, within):
            return f"{code} is not within {within}"
        return None


@cache
def xiaoshan() -> AreaTree:
    return AreaTree(json.loads(_DATA.read_text(encoding="utf-8")))
