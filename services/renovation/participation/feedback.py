"""Use cases of residents' feedback on a plan: comments (共谋) and satisfaction ratings (共评)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street
from services.renovation.integrity import conflict_on_duplicate
from services.renovation.participation.models import Comment, Rating
from services.renovation.participation.rules import COMMENTABLE, rating_refusal
from services.renovation.participation.schemas import CommentRead, RatingRead
from services.renovation.participation.service import get_plan, visible_plan
from services.renovation.participation.tallies import add_rating
from services.renovation.participation.votes import lock_households, my_household
from services.renovation.projects.models import Project
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, NotFound
from shared.pagination import paginate


async def add_comment(session: AsyncSession, *, plan_id: uuid.UUID, body: str, principal: Principal,
                      now: datetime | None = None) -> CommentRead:
    now = now or utcnow()
    async with unit_of_work(session):
        plan = await get_plan(session, plan_id=plan_id)
        household_id = None
        if principal.has_role("renovation", "admin"):
            ensure_street(principal, plan.street_code)
            kind = "staff"
        else:
            household_id = (await my_household(session, plan=plan, principal=principal)).id
            kind = "resident"
        if plan.status not in COMMENTABLE:
            raise Conflict(f"comments are closed: the plan is {plan.status}")
        comment = Comment(plan_id=plan.id, body=body, author_kind=kind, author_subject=principal.subject,
                          household_id=household_id, created_at=now)
        session.add(comment)
    return _comment_read(comment, principal)


async def list_comments(session: AsyncSession, *, plan_id: uuid.UUID, principal: Principal, limit: int,
                        cursor: str | None) -> tuple[list[CommentRead], str | None]:
    await visible_plan(session, plan_id=plan_id, principal=principal)
    rows, next_cursor = await paginate(session, select(Comment).where(Comment.plan_id == plan_id),
                                       sort_column=Comment.created_at, id_column=Comment.id, limit=limit,
                                       cursor=cursor)
    return [_comment_read(c, principal) for c in rows], next_cursor


def _comment_read(comment: Comment, principal: Principal) -> CommentRead:
    # Authors stay anonymous to every reader (staff included): a reader only learns which comments are theirs.
    return CommentRead(id=comment.id, body=comment.body, author_kind=comment.author_kind,
                       mine=comment.author_subject == principal.subject, created_at=comment.created_at)


async def rate(session: AsyncSession, *, plan_id: uuid.UUID, score: int, principal: Principal,
               now: datetime | None = None) -> RatingRead:
    now = now or utcnow()
    with conflict_on_duplicate("another member of your household rated at the same moment; try again",
                               "household_id"):
        async with unit_of_work(session):
            plan = await get_plan(session, plan_id=plan_id)
            household = await my_household(session, plan=plan, principal=principal)
            project_status = None
            if plan.project_id is not None:
                project_status = await session.scalar(select(Project.status).where(Project.id == plan.project_id))
            problem = rating_refusal(plan.status, project_status)
            if problem:
                raise Conflict(problem)
            await lock_households(session, [household.id])
            rating = await session.scalar(select(Rating).where(Rating.plan_id == plan.id,
                                                               Rating.household_id == household.id))
            if rating is None:
                rating = Rating(plan_id=plan.id, household_id=household.id, street_code=plan.street_code,
                                score=score, rated_at=now)
                session.add(rating)
            else:
                await add_rating(session, street_code=rating.street_code, year=rating.rated_at.year, ratings=-1,
                                 score=-rating.score)
                rating.score, rating.rated_at = score, now
            await add_rating(session, street_code=plan.street_code, year=now.year, ratings=1, score=score)
    return RatingRead(household_id=household.id, score=rating.score, rated_at=rating.rated_at)


async def my_rating(session: AsyncSession, *, plan_id: uuid.UUID, principal: Principal) -> RatingRead:
    plan = await get_plan(session, plan_id=plan_id)
    household = await my_household(session, plan=plan, principal=principal)
    rating = await session.scalar(select(Rating).where(Rating.plan_id == plan.id,
                                                       Rating.household_id == household.id))
    if rating is None:
        raise NotFound("your household has not rated this plan")
    return RatingRead(household_id=household.id, score=rating.score, rated_at=rating.rated_at)
