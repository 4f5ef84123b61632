from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Query, status

from services.renovation.access import AnyUser, Resident, Session, Staff
from services.renovation.participation import feedback, results, service, votes
from services.renovation.participation.rules import PlanAction, PlanStatus
from services.renovation.participation.schemas import (
    CommentCreate,
    CommentPage,
    CommentRead,
    MergeReport,
    OfflineBatch,
    PlanAnswer,
    PlanCreate,
    PlanPage,
    PlanRead,
    PlanResults,
    RatingCast,
    RatingRead,
    VoteCast,
    VoteRead,
)
from shared.auth import Principal, require_roles
from shared.clock import Now
from shared.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/plans", tags=["resident participation"])
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Cursor = Annotated[str | None, Query(max_length=500)]
# Residents of the affected estates speak for their household; housing staff answer officially.
Commenter = Annotated[Principal, Depends(require_roles("resident", "renovation"))]


@router.post("", status_code=status.HTTP_201_CREATED, response_model=PlanRead)
async def create_plan(body: PlanCreate, session: Session, principal: Staff, now: Now):
    return await service.create_plan(session, data=body, actor=principal, now=now)


@router.get("", response_model=PlanPage, summary="Plans (a resident sees those of the estates they live in)")
async def list_plans(
    session: Session, principal: AnyUser,
    status_: Annotated[PlanStatus | None, Query(alias="status")] = None,
    street_code: Annotated[str | None, Query(max_length=12)] = None,
    project_id: uuid.UUID | None = None, estate_id: uuid.UUID | None = None,
    limit: Limit = DEFAULT_PAGE_SIZE, cursor: Cursor = None,
):
    items, next_cursor = await service.list_plans(
        session, principal=principal, status=status_, street_code=street_code, project_id=project_id,
        estate_id=estate_id, limit=limit, cursor=cursor)
    return PlanPage(items=items, next_cursor=next_cursor)


@router.get("/{plan_id}", response_model=PlanRead)
async def get_plan(plan_id: uuid.UUID, session: Session, principal: AnyUser):
    return await service.visible_plan(session, plan_id=plan_id, principal=principal)


@router.get("/{plan_id}/results", response_model=PlanResults)
async def plan_results(plan_id: uuid.UUID, session: Session, principal: AnyUser):
    return await results.plan_results(session, plan_id=plan_id, principal=principal)


@router.put("/{plan_id}/votes/mine", response_model=VoteRead, summary="Vote for your household (replaces its vote)")
async def cast_my_vote(plan_id: uuid.UUID, body: VoteCast, session: Session, principal: Resident, now: Now):
    return await votes.cast_my_vote(session, plan_id=plan_id, choice=body.choice, principal=principal, now=now)


@router.get("/{plan_id}/votes/mine", response_model=VoteRead)
async def my_vote(plan_id: uuid.UUID, session: Session, principal: Resident):
    return await votes.my_vote(session, plan_id=plan_id, principal=principal)


@router.post("/{plan_id}/offline-votes", response_model=MergeReport,
             summary="Enter ballots collected on paper or at a booth; merged without double counting")
async def record_offline_votes(plan_id: uuid.UUID, body: OfflineBatch, session: Session, principal: Staff,
                               now: Now):
    return await votes.record_offline_votes(session, plan_id=plan_id, batch=body, actor=principal, now=now)


@router.post("/{plan_id}/comments", status_code=status.HTTP_201_CREATED, response_model=CommentRead)
async def add_comment(plan_id: uuid.UUID, body: CommentCreate, session: Session, principal: Commenter, now: Now):
    return await feedback.add_comment(session, plan_id=plan_id, body=body.body, principal=principal, now=now)


@router.get("/{plan_id}/comments", response_model=CommentPage)
async def list_comments(plan_id: uuid.UUID, session: Session, principal: AnyUser, limit: Limit = DEFAULT_PAGE_SIZE,
                        cursor: Cursor = None):
    items, next_cursor = await feedback.list_comments(session, plan_id=plan_id, principal=principal, limit=limit,
                                                      cursor=cursor)
    return CommentPage(items=items, next_cursor=next_cursor)


@router.put("/{plan_id}/ratings/mine", response_model=RatingRead,
            summary="Rate your satisfaction 1-5 for your household (replaces its rating)")
async def rate(plan_id: uuid.UUID, body: RatingCast, session: Session, principal: Resident, now: Now):
    return await feedback.rate(session, plan_id=plan_id, score=body.score, principal=principal, now=now)


@router.get("/{plan_id}/ratings/mine", response_model=RatingRead)
async def my_rating(plan_id: uuid.UUID, session: Session, principal: Resident):
    return await feedback.my_rating(session, plan_id=plan_id, principal=principal)


@router.post("/{plan_id}/{action}", response_model=PlanRead,
             summary="close voting, or answer: accept / reject with reasons")
async def transition_plan(plan_id: uuid.UUID, action: PlanAction, session: Session, principal: Staff, now: Now,
                          body: Annotated[PlanAnswer | None, Body()] = None):
    return await service.transition_plan(session, plan_id=plan_id, action=action,
                                         reason=body.reason if body else None, actor=principal, now=now)
