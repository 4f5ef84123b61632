from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from services.chronic_care.deps import Caller, Now, Session
from services.chronic_care.patients import service
from services.chronic_care.patients.schemas import PatientCreate, PatientPage, PatientRead, PatientUpdate
from services.chronic_care.timeline import service as timeline
from services.chronic_care.timeline.schemas import TimelinePage
from shared.auth import Principal, require_roles
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from shared.reveal import RevealRequest, RevealResponse

router = APIRouter(prefix="/patients", tags=["patients"])
Doctor = Annotated[Principal, Depends(require_roles("doctor"))]
# Care staff or the patient (the use case checks whose care or record it is); auditors reveal nothing.
CareOrSelf = Annotated[Principal, Depends(require_roles("doctor", "resident"))]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PatientRead)
async def register_patient(body: PatientCreate, session: Session, principal: Doctor, now: Now, request: Request):
    key = request.app.state.settings.person_ref_key.get_secret_value()
    return service.masked(await service.register_patient(session, principal=principal, data=body, ref_key=key,
                                                         now=now))


@router.get("", response_model=PatientPage,
            summary="The caller's patients (care staff), or the caller's own record (a patient)")
async def list_patients(session: Session, principal: Caller, station_id: uuid.UUID | None = None,
                        condition: Annotated[str | None, Query(min_length=3, max_length=8)] = None,
                        flagged: bool | None = None, limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None):
    items, next_cursor = await service.list_patients(session, principal=principal, station_id=station_id,
                                                     condition=condition, flagged=flagged, limit=limit,
                                                     cursor=cursor)
    return {"items": [service.masked(p) for p in items], "next_cursor": next_cursor}


@router.get("/{patient_id}", response_model=PatientRead)
async def get_patient(patient_id: uuid.UUID, session: Session, principal: Caller, request: Request):
    return service.masked(await service.read_patient(session, principal=principal, patient_id=patient_id,
                                                     what="patient", endpoint=request.url.path))


@router.post("/{patient_id}/reveal", response_model=RevealResponse,
             summary="Reveal one masked field (ID number or phone) with a reason: the patient or care staff; audited")
async def reveal_field(patient_id: uuid.UUID, body: RevealRequest, session: Session, principal: CareOrSelf,
                       request: Request):
    return await service.reveal_field(session, principal=principal, patient_id=patient_id, request=body,
                                      endpoint=request.url.path)


@router.patch("/{patient_id}", response_model=PatientRead)
async def update_patient(patient_id: uuid.UUID, body: PatientUpdate, session: Session, principal: Caller, now: Now):
    return service.masked(await service.update_patient(session, principal=principal, patient_id=patient_id,
                                                       data=body, now=now))


@router.get("/{patient_id}/timeline", response_model=TimelinePage, summary="The patient's care timeline, newest first")
async def get_timeline(patient_id: uuid.UUID, session: Session, principal: Caller, request: Request,
                       kind: Annotated[str | None, Query(max_length=40)] = None, limit: Limit = DEFAULT_PAGE_SIZE,
                       cursor: Cursor = None):
    await service.read_patient(session, principal=principal, patient_id=patient_id, what="timeline",
                               endpoint=request.url.path)
    items, next_cursor = await timeline.list_entries(session, patient_id=patient_id, kind=kind, limit=limit,
                                                     cursor=cursor)
    return TimelinePage(items=items, next_cursor=next_cursor)
