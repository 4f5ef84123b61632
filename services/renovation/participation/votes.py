"""Use cases of voting: a resident's own vote online, and paper/booth ballots merged by staff.

Each household has at most one vote row per plan (a unique constraint backs it); the household row is
locked while its vote is decided, so two members voting at once, or a ballot entered while a member votes
online, still leave one vote: the one cast last.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.renovation.access import ensure_street, resident_ref
from services.renovation.estates.models import Household
from services.renovation.estates.service import household_in
from services.renovation.integrity import conflict_on_duplicate
from services.renovation.participation.models import Plan, Vote
from services.renovation.participation.rules import PAPER_ENTRY, online_vote_refusal, replaces
from services.renovation.participation.schemas import MergeReport, OfflineBatch, VoteRead
from services.renovation.participation.service import get_plan
from services.renovation.participation.tallies import count_new_votes
from shared.auth import Principal
from shared.database import unit_of_work, utcnow
from shared.errors import Conflict, Forbidden, InvalidInput, NotFound


async def my_household(session: AsyncSession, *, plan: Plan, principal: Principal) -> Household:
    household = await household_in(session, person_ref=resident_ref(principal), estate_ids=plan.estate_ids)
    if household is None:
        raise Forbidden("only registered households of the affected estates take part in this plan")
    return household


async def cast_my_vote(session: AsyncSession, *, plan_id: uuid.UUID, choice: str, principal: Principal,
                       now: datetime | None = None) -> VoteRead:
    now = now or utcnow()
    with conflict_on_duplicate("another member of your household voted at the same moment; try again",
                               "household_id"):
        async with unit_of_work(session):
            plan = await get_plan(session, plan_id=plan_id)
            problem = online_vote_refusal(plan.status, plan.voting_closes_on, now.date())
            if problem:
                raise Conflict(problem)
            household = await my_household(session, plan=plan, principal=principal)
            await lock_households(session, [household.id])
            vote = await session.scalar(select(Vote).where(Vote.plan_id == plan.id,
                                                           Vote.household_id == household.id))
            await count_new_votes(session, plan_id=plan.id, households=0 if vote else 1)
            vote = _apply(session, plan.id, household.id, vote, choice=choice, channel="online", cast_at=now,
                          by=principal.subject)
    return _read(vote, household)


async def my_vote(session: AsyncSession, *, plan_id: uuid.UUID, principal: Principal) -> VoteRead:
    plan = await get_plan(session, plan_id=plan_id)
    household = await my_household(session, plan=plan, principal=principal)
    vote = await session.scalar(select(Vote).where(Vote.plan_id == plan.id, Vote.household_id == household.id))
    if vote is None:
        raise NotFound("your household has not voted on this plan")
    return _read(vote, household)


async def record_offline_votes(session: AsyncSession, *, plan_id: uuid.UUID, batch: OfflineBatch,
                               actor: Principal, now: datetime | None = None) -> MergeReport:
    now = now or utcnow()
    with conflict_on_duplicate("a household voted online while the batch was entered; enter it again",
                               "votes"):
        async with unit_of_work(session):
            plan = await get_plan(session, plan_id=plan_id, for_update=True)
            ensure_street(actor, plan.street_code)
            if plan.status not in PAPER_ENTRY:
                raise Conflict(f"ballots are entered while the plan is open or evaluating; it is {plan.status}")
            _check_batch(batch, plan, now)
            ids = [v.household_id for v in batch.votes]
            households = {h.id: h for h in await lock_households(session, ids)}
            for i, ballot in enumerate(batch.votes):
                household = households.get(ballot.household_id)
                if household is None or household.estate_id not in plan.estate_ids:
                    raise InvalidInput(f"votes[{i}].household_id",
                                       "not a registered household of the plan's estates")
            existing = {v.household_id: v for v in (await session.scalars(select(Vote).where(
                Vote.plan_id == plan.id, Vote.household_id.in_(ids)))).all()}
            report = MergeReport(recorded=0, replaced=0, superseded=0)
            for ballot in batch.votes:
                vote = existing.get(ballot.household_id)
                if vote is None:
                    report.recorded += 1
                elif replaces(vote.cast_at, ballot.cast_at):
                    report.replaced += 1
                else:
                    report.superseded += 1
                    continue
                _apply(session, plan.id, ballot.household_id, vote, choice=ballot.choice, channel=batch.channel,
                       cast_at=ballot.cast_at, by=actor.subject)
            await count_new_votes(session, plan_id=plan.id, households=report.recorded)
    return report


def _check_batch(batch: OfflineBatch, plan: Plan, now: datetime) -> None:
    seen: set[uuid.UUID] = set()
    latest = plan.closed_at or now
    for i, ballot in enumerate(batch.votes):
        if ballot.household_id in seen:
            raise InvalidInput(f"votes[{i}].household_id", "the same household appears twice in this batch")
        seen.add(ballot.household_id)
        if ballot.cast_at.tzinfo is None:
            raise InvalidInput(f"votes[{i}].cast_at", "must carry a timezone (UTC)")
        if not plan.opened_at <= ballot.cast_at <= latest:
            raise InvalidInput(f"votes[{i}].cast_at", "must lie while voting was open "
                                                      f"({plan.opened_at.isoformat()} .. {latest.isoformat()})")


async def lock_households(session: AsyncSession, ids: list[uuid.UUID]) -> list[Household]:
    # Ordered, so two batches touching the same households lock them in the same order (no deadlock).
    return list((await session.scalars(select(Household).where(Household.id.in_(ids)).order_by(Household.id)
                                       .with_for_update())).all())


def _apply(session: AsyncSession, plan_id: uuid.UUID, household_id: uuid.UUID, vote: Vote | None, *, choice: str,
           channel: str, cast_at: datetime, by: str) -> Vote:
    if vote is None:
        vote = Vote(plan_id=plan_id, household_id=household_id, choice=choice, channel=channel, cast_at=cast_at,
                    recorded_by=by, revisions=0)
        session.add(vote)
        return vote
    vote.choice, vote.channel, vote.cast_at, vote.recorded_by = choice, channel, cast_at, by
    vote.revisions += 1
    return vote


def _read(vote: Vote, household: Household) -> VoteRead:
    return VoteRead(household_id=household.id, household_label=household.label, choice=vote.choice,
                    channel=vote.channel, cast_at=vote.cast_at, revisions=vote.revisions)
