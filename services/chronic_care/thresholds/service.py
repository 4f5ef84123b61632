"""Use cases of threshold settings, and the thresholds that apply to a patient's reading."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.chronic_care.patients.rules import CONDITION_CODE, category
from services.chronic_care.thresholds.models import ThresholdSetting
from services.chronic_care.thresholds.rules import (
    DEFAULT_CONDITION,
    DEFAULTS,
    THRESHOLD_MODELS,
    Thresholds,
    applicable_keys,
)
from shared.database import unit_of_work
from shared.errors import DomainError, FieldError, InvalidInput, NotFound


class _Invalid(DomainError):
    """Several fields of one threshold set at once (each named)."""

    status, code, title = 422, "invalid-input", "Invalid input"


def _condition_key(condition: str) -> str:
    if condition == DEFAULT_CONDITION:
        return condition
    if not CONDITION_CODE.match(condition.upper()):
        raise InvalidInput("condition", "must be an ICD-10 code (e.g. I10, E11) or 'default'")
    return category(condition.upper())


async def effective(session: AsyncSession) -> dict[tuple[str, str], tuple[Thresholds, ThresholdSetting | None]]:
    table: dict[tuple[str, str], tuple[Thresholds, ThresholdSetting | None]] = {
        key: (value, None) for key, value in DEFAULTS.items()}
    for setting in await session.scalars(select(ThresholdSetting)):
        table[(setting.condition, setting.measure)] = (THRESHOLD_MODELS[setting.measure](**setting.values), setting)
    return table


async def thresholds_for(session: AsyncSession, categories: set[str], measure: str) -> list[Thresholds]:
    table = await effective(session)
    return [table[key][0] for key in applicable_keys(categories, measure, set(table))]


def _read(key: tuple[str, str], value: Thresholds, setting: ThresholdSetting | None) -> dict:
    return {"condition": key[0], "measure": key[1], "values": value.model_dump(),
            "source": "configured" if setting else "default",
            "updated_by": setting.updated_by if setting else None,
            "updated_at": setting.updated_at if setting else None}


async def list_thresholds(session: AsyncSession) -> list[dict]:
    table = await effective(session)
    return [_read(key, *table[key]) for key in sorted(table)]


async def set_thresholds(session: AsyncSession, *, condition: str, measure: str, values: dict, actor: str,
                         now: datetime) -> dict:
    key = (_condition_key(condition), measure)
    try:
        parsed = THRESHOLD_MODELS[measure](**values)
    except ValidationError as exc:
        errors = [FieldError(".".join(str(p) for p in ("values", *e["loc"])), e["msg"]) for e in exc.errors()]
        raise _Invalid("; ".join(f"{e.field}: {e.message}" for e in errors), errors) from exc
    async with unit_of_work(session):
        setting = await session.get(ThresholdSetting, key)
        if setting is None:
            setting = ThresholdSetting(condition=key[0], measure=measure)
            session.add(setting)
        setting.values, setting.updated_by, setting.updated_at = parsed.model_dump(), actor, now
    return _read(key, parsed, setting)


async def reset_thresholds(session: AsyncSession, *, condition: str, measure: str) -> None:
    key = (_condition_key(condition), measure)
    async with unit_of_work(session):
        setting = await session.get(ThresholdSetting, key)
        if setting is None:
            raise NotFound("no configured thresholds for this condition and measure")
        await session.delete(setting)
