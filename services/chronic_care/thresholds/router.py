from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, status

from services.chronic_care.deps import Admin, Now, Session
from services.chronic_care.thresholds import service
from services.chronic_care.thresholds.rules import Measure
from services.chronic_care.thresholds.schemas import ThresholdRead
from shared.auth import Principal, require_roles

router = APIRouter(prefix="/thresholds", tags=["thresholds"])
Reader = Annotated[Principal, Depends(require_roles("doctor", "auditor"))]
Condition = Annotated[str, Path(min_length=3, max_length=10, description="ICD-10 category (I10, E11) or 'default'")]


@router.get("", response_model=list[ThresholdRead], summary="Thresholds in force, per condition and measure")
async def list_thresholds(session: Session, _: Reader):
    return await service.list_thresholds(session)


@router.put("/{condition}/{measure}", response_model=ThresholdRead)
async def set_thresholds(condition: Condition, measure: Measure, session: Session, principal: Admin, now: Now,
                         values: Annotated[dict, Body(description="The threshold values (all of them)")]):
    return await service.set_thresholds(session, condition=condition, measure=measure, values=values,
                                        actor=principal.subject, now=now)


@router.delete("/{condition}/{measure}", status_code=status.HTTP_204_NO_CONTENT,
               summary="Back to the built-in default")
async def reset_thresholds(condition: Condition, measure: Measure, session: Session, _: Admin):
    await service.reset_thresholds(session, condition=condition, measure=measure)
