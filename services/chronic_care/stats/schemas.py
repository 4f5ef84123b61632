from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class StationFigures(BaseModel):
    station_code: str
    name: str
    street_code: str
    patients: int
    dispensing_services: int
    drug_kinds_dispensed: int
    new_out_of_catalogue_drugs: int


class Overview(BaseModel):
    area: str
    generated_at: datetime
    period: dict[str, datetime | None]
    scope: dict[str, str | None]
    figures: dict[str, float | int]
    patients_by_condition: dict[str, int]
    by_station: list[StationFigures]
