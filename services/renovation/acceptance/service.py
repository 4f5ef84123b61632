"""Use cases of acceptance: inspection rounds, defects and their rectification."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.acceptance.models import Defect, Inspection
from services.renovation.acceptance.rules import can_rectify, can_reopen, round_passes
from services.renovation.acceptance.schemas import (
    AcceptanceRead,
    DefectRead,
    InspectionCreate,
    InspectionRead,
    RectificationCreate,
)
from services.renovation.access import ensure_street
from services.renovation.projects.service import get_project, record_transition
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, FieldError, InvalidInput, NotFound


async def record_inspection(session: AsyncSession, *, project_id: uuid.UUID, data: InspectionCreate,
                            actor: Principal, now: datetime | None = None) -> AcceptanceRead:
    now = now or utcnow()
    if data.inspected_on > now.date():
        raise InvalidInput("inspected_on", "must not be in the future")
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        if project.status != "completed":
            raise Conflict(f"only a completed project is inspected for acceptance; this one is {project.status}")
        if project.actual_end and data.inspected_on < project.actual_end:
            raise InvalidInput("inspected_on", f"must not be before the works were completed ({project.actual_end})")
        defects = list((await session.scalars(select(Defect).where(Defect.project_id == project.id))).all())
        by_id = {d.id: d for d in defects}
        reopen_ids = list(dict.fromkeys(data.reopened_defect_ids))
        for defect_id in reopen_ids:
            defect = by_id.get(defect_id)
            if defect is None:
                raise InvalidInput("reopened_defect_ids", f"{defect_id} is not a defect of this project")
            if not can_reopen(defect.status):
                raise InvalidInput("reopened_defect_ids", f"{defect_id} is {defect.status}, not rectified")
        rounds = await session.scalar(select(func.count()).where(Inspection.project_id == project.id)) or 0
        passed = round_passes(new_defects=len(data.defects), reopened=len(reopen_ids),
                              statuses_before=[d.status for d in defects])
        inspection = Inspection(
            id=uuid.uuid4(), project_id=project.id, round=rounds + 1, inspected_on=data.inspected_on,
            inspector=data.inspector, passed=passed, note=data.note, recorded_by=actor.subject, recorded_at=now)
        session.add(inspection)
        await session.flush()
        for found in data.defects:
            session.add(Defect(project_id=project.id, found_in_id=inspection.id, description=found.description,
                               severity=found.severity, status="open"))
        for defect_id in reopen_ids:
            by_id[defect_id].status = "open"
        if passed:
            for defect in defects:
                if defect.status == "rectified":
                    defect.status, defect.verified_in_id = "verified", inspection.id
            await record_transition(session, project=project, target="accepted", by=actor.subject, now=now)
    return await get_acceptance(session, project_id=project_id)


async def rectify_defect(session: AsyncSession, *, project_id: uuid.UUID, defect_id: uuid.UUID,
                         data: RectificationCreate, actor: Principal,
                         now: datetime | None = None) -> AcceptanceRead:
    now = now or utcnow()
    if data.rectified_on > now.date():
        raise InvalidInput("rectified_on", "must not be in the future")
    async with unit_of_work(session):
        project = await get_project(session, project_id=project_id, for_update=True)
        ensure_street(actor, project.street_code)
        defect = await session.get(Defect, defect_id)
        if defect is None or defect.project_id != project.id:
            raise NotFound(f"defect {defect_id} not found", [FieldError("defect_id", "no such defect")])
        if project.status != "completed":
            raise Conflict(f"the project is {project.status}: nothing to rectify")
        if not can_rectify(defect.status):
            raise Conflict(f"the defect is {defect.status}, not open")
        found = await session.get(Inspection, defect.found_in_id)
        if found and data.rectified_on < found.inspected_on:
            raise InvalidInput("rectified_on", f"must not be before the defect was found ({found.inspected_on})")
        defect.status, defect.rectified_on, defect.rectification_note = "rectified", data.rectified_on, data.note
    return await get_acceptance(session, project_id=project_id)


async def get_acceptance(session: AsyncSession, *, project_id: uuid.UUID) -> AcceptanceRead:
    project = await get_project(session, project_id=project_id)
    inspections = (await session.scalars(select(Inspection).where(Inspection.project_id == project_id)
                                         .order_by(Inspection.round))).all()
    defects = (await session.scalars(select(Defect).where(Defect.project_id == project_id)
                                     .order_by(Defect.found_in_id, Defect.description))).all()
    return AcceptanceRead(
        project_id=project.id, project_status=project.status,
        inspections=[InspectionRead.model_validate(i) for i in inspections],
        defects=[DefectRead.model_validate(d) for d in defects],
        open_defects=sum(1 for d in defects if d.status == "open"))
