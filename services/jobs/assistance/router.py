from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from services.jobs.access import Config, Officer, OfficerOrSelf, ReaderOrSelf, Session
from services.jobs.assistance import service
from services.jobs.assistance.schemas import (
    ActCreate,
    ActPage,
    ActRead,
    ActResponse,
    ContactCreate,
    ContactPage,
    ContactRead,
    ExpirySweep,
)
from services.jobs.routes_common import DEFAULT_LIMIT, Cursor, Limit
from shared.clock import Now

router = APIRouter(tags=["service and contact"])


@router.post("/seekers/{seeker_id}/acts", status_code=status.HTTP_201_CREATED, response_model=ActRead,
             summary="Record a service act: job recommendation, career guidance, policy explanation, training "
                     "referral (the first one starts service)")
async def record_act(seeker_id: uuid.UUID, body: ActCreate, session: Session, principal: Officer, now: Now,
                     config: Config):
    act = await service.record_act(session, seeker_id=seeker_id, data=body, actor=principal, now=now,
                                   ttl_days=config.recommendation_ttl_days)
    return service.act_view(act, now)


@router.get("/seekers/{seeker_id}/acts", response_model=ActPage)
async def list_acts(seeker_id: uuid.UUID, session: Session, principal: ReaderOrSelf, now: Now,
                    limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    rows, next_cursor = await service.list_acts(session, seeker_id=seeker_id, principal=principal, limit=limit,
                                                cursor=cursor)
    return ActPage(items=[service.act_view(a, now) for a in rows], next_cursor=next_cursor)


@router.post("/acts/{act_id}/response", response_model=ActRead,
             summary="The seeker's answer to a job recommendation (by their officer or by the seeker)")
async def respond(act_id: uuid.UUID, body: ActResponse, session: Session, principal: OfficerOrSelf, now: Now):
    act = await service.respond(session, act_id=act_id, data=body, actor=principal, now=now)
    return service.act_view(act, now)


@router.post("/seekers/{seeker_id}/contacts", status_code=status.HTTP_201_CREATED, response_model=ContactRead,
             summary="Record a proactive contact attempt and its outcome")
async def record_contact(seeker_id: uuid.UUID, body: ContactCreate, session: Session, principal: Officer, now: Now):
    return await service.record_contact(session, seeker_id=seeker_id, data=body, actor=principal, now=now)


@router.get("/seekers/{seeker_id}/contacts", response_model=ContactPage)
async def list_contacts(seeker_id: uuid.UUID, session: Session, principal: ReaderOrSelf,
                        limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None):
    rows, next_cursor = await service.list_contacts(session, seeker_id=seeker_id, principal=principal, limit=limit,
                                                    cursor=cursor)
    return ContactPage(items=rows, next_cursor=next_cursor)


@router.post("/recommendations/expire", response_model=ExpirySweep,
             summary="Expire recommendations not acted on in time (also swept in the background)")
async def expire(session: Session, _: Officer, now: Now):
    return ExpirySweep(expired=await service.expire_recommendations(session, now=now))
