from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from services.jobs.access import Config, Officer, OfficerOrSelf, ReaderOrSelf, Session
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit, StreetCode
from services.jobs.seekers import reveal, service
from services.jobs.seekers.rules import PriorityGroup, Stage
from services.jobs.seekers.schemas import ReopenRequest, SeekerCreate, SeekerPage, SeekerRead, SeekerUpdate
from services.jobs.seekers.views import seeker_view
from shared.auth import Principal, require_roles
from shared.clock import Now
from shared.reveal import RevealRequest, RevealResponse

router = APIRouter(prefix="/seekers", tags=["seekers"])
Resident = Annotated[Principal, Depends(require_roles("resident"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=SeekerRead,
             summary="Register a job seeker (登记); the ID number is checked (GB 11643)")
async def register(body: SeekerCreate, session: Session, principal: Officer, now: Now, config: Config):
    seeker = await service.register_seeker(session, data=body, actor=principal, now=now,
                                           ref_key=config.person_ref_key.get_secret_value())
    return seeker_view(seeker, principal, now.date())


@router.get("", response_model=SeekerPage, summary="Seekers (a resident sees only their own record)")
async def list_seekers(
    session: Session, principal: ReaderOrSelf, now: Now,
    stage: Stage | None = None, street_code: StreetCode = None, group: PriorityGroup | None = None,
    caseworker: Annotated[str | None, Query(max_length=120)] = None,
    skill: Annotated[str | None, Query(max_length=40)] = None, household_id: uuid.UUID | None = None,
    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
):
    rows, next_cursor = await service.list_seekers(
        session, principal=principal, stage=stage, street_code=street_code, group=group, caseworker=caseworker,
        skill=skill, household_id=household_id, limit=limit, cursor=cursor)
    return SeekerPage(items=[seeker_view(s, principal, now.date(), listing=True) for s in rows],
                      next_cursor=next_cursor)


@router.get("/me", response_model=SeekerRead, summary="The calling resident's own seeker record")
async def my_record(session: Session, principal: Resident, now: Now):
    return seeker_view(await service.my_seeker(session, principal=principal), principal, now.date())


@router.get("/{seeker_id}", response_model=SeekerRead)
async def get_seeker(seeker_id: uuid.UUID, session: Session, principal: ReaderOrSelf, now: Now, request: Request):
    seeker = await service.read_seeker(session, seeker_id=seeker_id, principal=principal, endpoint=request.url.path)
    return seeker_view(seeker, principal, now.date())


@router.post("/{seeker_id}/reveal", response_model=RevealResponse,
             summary="Reveal one masked field (ID number or phone) with a reason; audited")
async def reveal_field(seeker_id: uuid.UUID, body: RevealRequest, session: Session, principal: OfficerOrSelf,
                       request: Request):
    return await reveal.reveal_field(session, seeker_id=seeker_id, request=body, principal=principal,
                                     endpoint=request.url.path)


@router.patch("/{seeker_id}", response_model=SeekerRead)
async def update_seeker(seeker_id: uuid.UUID, body: SeekerUpdate, session: Session, principal: Officer, now: Now):
    seeker = await service.update_seeker(session, seeker_id=seeker_id, data=body, actor=principal, now=now)
    return seeker_view(seeker, principal, now.date())


@router.post("/{seeker_id}/reopen", response_model=SeekerRead,
             summary="Reopen a closed (followed_up) record: the person is out of work again")
async def reopen(seeker_id: uuid.UUID, body: ReopenRequest, session: Session, principal: Officer, now: Now):
    seeker = await service.reopen(session, seeker_id=seeker_id, reason=body.reason, actor=principal, now=now)
    return seeker_view(seeker, principal, now.date())
