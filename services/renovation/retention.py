"""Anonymise registered households inactive for RENOVATION_RETENTION_YEARS:
``python -m services.renovation.retention``.

Renovation keeps no names or ID numbers: a household's members are person_refs, which re-identify anyone
whose ID number is known, and residents' comments are free text that may name neighbours. Default 5 years
after the household's last vote, rating, comment or registration: the participation record matters while
the works' defects can still be claimed (5 years for roofs and waterproofing, 建设工程质量管理条例 art. 40),
and no longer (PIPL art. 19). Last activity is derived, no column added. A household that voted on a plan
still open or being evaluated has open work: skipped and reported. Votes, ratings, tallies and household
labels (a dwelling, not a person) stay, so every result and statistic keeps its count.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import Field
from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

import services.renovation.models  # noqa: F401  (every mapper configured)
from services.renovation.db import AuditEntry, OutboxMessage
from services.renovation.estates.models import Household, HouseholdMember
from services.renovation.participation.models import Comment, Plan, Rating, Vote
from services.renovation.participation.rules import COMMENTABLE
from services.renovation.settings import Settings
from shared import retention
from shared.retention import ANONYMISED_TEXT

MINIMUM_YEARS = 1
ANONYMISED_AUTHOR = "anonymised"


class RetentionSettings(Settings):
    retention_years: int = Field(5, ge=MINIMUM_YEARS, le=100)


class HouseholdRetention:
    resource_type = "household"
    fields = ("person_ref", "comment_body", "comment_author")

    async def candidates(self, session: AsyncSession, *, cutoff: datetime, after: uuid.UUID | None,
                         limit: int) -> list[uuid.UUID]:
        mine = Household.id
        stmt = (select(Household.id).where(
            Household.registered_at < cutoff,
            exists().where(HouseholdMember.household_id == mine, ~retention.is_anonymised(HouseholdMember.person_ref)),
            ~exists().where(HouseholdMember.household_id == mine, HouseholdMember.added_at >= cutoff),
            ~exists().where(Vote.household_id == mine, Vote.cast_at >= cutoff),
            ~exists().where(Rating.household_id == mine, Rating.rated_at >= cutoff),
            ~exists().where(Comment.household_id == mine, Comment.created_at >= cutoff),
        ).order_by(Household.id).limit(limit))
        if after is not None:
            stmt = stmt.where(Household.id > after)
        if session.bind.dialect.name == "postgresql":
            stmt = stmt.with_for_update(of=Household, skip_locked=True)  # voting right now: next run
        return list((await session.scalars(stmt)).all())

    async def with_open_work(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        busy = await session.scalars(select(Vote.household_id).join(Plan, Plan.id == Vote.plan_id)
                                     .where(Vote.household_id.in_(ids), Plan.status.in_(COMMENTABLE)).distinct())
        return set(busy.all())

    async def anonymise(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
        members = (await session.scalars(select(HouseholdMember.id).where(HouseholdMember.household_id.in_(ids),
                                                                         ~retention.is_anonymised(
                                                                             HouseholdMember.person_ref)))).all()
        await retention.update_each(session, HouseholdMember,
                                    [{"id": m, "person_ref": retention.opaque_ref()} for m in members])
        # What residents wrote may name them or their neighbours; staff answers stay as they are.
        await session.execute(update(Comment).where(Comment.household_id.in_(ids), Comment.author_kind == "resident")
                              .values(body=ANONYMISED_TEXT, author_subject=ANONYMISED_AUTHOR)
                              .execution_options(synchronize_session=False))


POLICY = HouseholdRetention()


def main(argv: Sequence[str] | None = None) -> None:
    retention.main(argv, service="renovation", settings=RetentionSettings(), policy=POLICY,
                   audit_model=AuditEntry, outbox_model=OutboxMessage, minimum_years=MINIMUM_YEARS)


if __name__ == "__main__":
    main(sys.argv[1:])
