"""A plan's results: turnout, choices, channels, satisfaction (aggregate SQL, one pass per table)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.estates.service import count_households
from services.renovation.participation.models import Comment, Rating, Vote
from services.renovation.participation.rules import CHANNELS, CHOICES, approval_pct
from services.renovation.participation.schemas import PlanResults, Satisfaction
from services.renovation.participation.service import visible_plan
from shared.auth import Principal


async def plan_results(session: AsyncSession, *, plan_id: uuid.UUID, principal: Principal) -> PlanResults:
    plan = await visible_plan(session, plan_id=plan_id, principal=principal)
    eligible = await count_households(session, estate_ids=plan.estate_ids)
    choices = dict.fromkeys(CHOICES, 0)
    channels = dict.fromkeys(CHANNELS, 0)
    for choice, channel, n in (await session.execute(
            select(Vote.choice, Vote.channel, func.count()).where(Vote.plan_id == plan.id)
            .group_by(Vote.choice, Vote.channel))).all():
        choices[choice] += n
        channels[channel] += n
    voted = sum(choices.values())
    comments = await session.scalar(select(func.count()).where(Comment.plan_id == plan.id)) or 0
    distribution = {str(s): 0 for s in range(1, 6)}
    for score, n in (await session.execute(select(Rating.score, func.count()).where(Rating.plan_id == plan.id)
                                           .group_by(Rating.score))).all():
        distribution[str(score)] = n
    ratings = sum(distribution.values())
    average = round(sum(int(s) * n for s, n in distribution.items()) / ratings, 2) if ratings else None
    return PlanResults(
        plan_id=plan.id, status=plan.status, eligible_households=eligible, voted_households=voted,
        turnout_pct=round(100 * voted / eligible, 1) if eligible else None, choices=choices, by_channel=channels,
        approval_pct=approval_pct(choices["for"], choices["against"]), comments=comments,
        satisfaction=Satisfaction(ratings=ratings, average=average, distribution=distribution))
