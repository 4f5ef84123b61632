"""Retention: anonymise the people a service has not served for a retention period, keeping every count.

A service describes its people with a ``RetentionPolicy`` (which rows are inactive before the cutoff and not
yet anonymised, which of them still have open work, how to scrub a batch). ``anonymise_inactive`` pages
through the candidates by id, one short transaction per batch (100k people never make one giant transaction),
skips and counts people with open work, and writes ONE audit row per run. Rows are scrubbed, never deleted,
so every statistic keeps its count.

``person_ref`` is a keyed HMAC of the ID number: kept, it would re-identify the row for anyone who holds the
ID number and the key. Anonymised rows get a random ``anon_`` ref instead (one per person, the same in each of
the service's tables), so per-person counts stay right while the link to the person ends. Published outbox
rows older than the cutoff carry the old refs and ids, so they are deleted too (they were delivered).
The audit log keeps its old refs: it is append-only evidence of who read what, readable by auditors only.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from sqlalchemy import ColumnElement, bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.audit import AuditMixin, record_access
from shared.auth import Principal
from shared.database import create_engine, create_session_factory, unit_of_work
from shared.events.housekeeping import delete_published_before
from shared.events.outbox import OutboxMixin
from shared.observability import configure_logging

logger = logging.getLogger("minsheng.retention")

ANON_REF_PREFIX = "anon_"
ANONYMISED_NAME = "已匿名"
ANONYMISED_TEXT = "[已匿名]"
DEFAULT_BATCH_SIZE = 500
RETENTION_ACTOR = Principal(subject="retention-job", roles=frozenset({"system"}), kind="job")


def opaque_ref() -> str:
    """A random reference for an anonymised person: ``anon_`` + 32 hex (fits the 40-character ref columns)."""
    return ANON_REF_PREFIX + secrets.token_hex(16)


def id_number_placeholder() -> str:
    """18 characters that can never be a valid ID number (letters), unique per row for unique columns."""
    return "ANON" + secrets.token_hex(7).upper()


def is_anonymised(ref_column) -> ColumnElement[bool]:
    return ref_column.startswith(ANON_REF_PREFIX, autoescape=True)


def birth_year_only(born: date) -> date:
    """Birth date reduced to its year: with sex and street a full date re-identifies most people."""
    return date(born.year, 1, 1)


async def update_each(session: AsyncSession, model, changes: Sequence[dict]) -> None:
    """Per-row new values in one executemany: each dict holds the row's ``id`` and its new column values."""
    if not changes:
        return
    table = model.__table__
    columns = [name for name in changes[0] if name != "id"]
    stmt = (update(table).where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}") for name in columns}))
    await session.execute(stmt, [{"row_id": c["id"], **{f"new_{n}": c[n] for n in columns}} for c in changes])


async def replace_refs(session: AsyncSession, new_refs: dict[str, str], *attributes) -> None:
    """Give every row holding an anonymised person's old ref (in each of ``attributes``) the person's new ref."""
    if not new_refs:
        return
    params = [{"old_ref": old, "new_ref": new} for old, new in new_refs.items()]
    for attribute in attributes:
        column = attribute.property.columns[0]
        stmt = update(column.table).where(column == bindparam("old_ref")).values({column.name: bindparam("new_ref")})
        await session.execute(stmt, params)


def cutoff_instant(cutoff: date) -> datetime:
    return datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)


class RetentionPolicy(Protocol):
    """What a service anonymises. ``cutoff`` is a UTC instant: people whose last activity is before it."""

    resource_type: str  # the audit row's resource type, e.g. "seeker"
    fields: tuple[str, ...]  # what is scrubbed (for the audit row)

    async def candidates(self, session: AsyncSession, *, cutoff: datetime, after: uuid.UUID | None,
                         limit: int) -> list[uuid.UUID]:
        """Ids of people inactive since before ``cutoff``, not anonymised yet, with id > ``after``, by id."""

    async def with_open_work(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Those of ``ids`` that must not be anonymised yet (an open work order, an unpaid month, ...)."""

    async def anonymise(self, session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
        """Scrub these people in the session's transaction."""


@dataclass
class RetentionReport:
    cutoff: date
    dry_run: bool
    inactive: int = 0  # candidates found (anonymised + skipped)
    anonymised: int = 0  # anonymised now (a dry run: would be)
    skipped_open_work: int = 0
    batches: int = 0
    outbox_pruned: int = 0

    def summary(self) -> str:
        verb = "would anonymise" if self.dry_run else "anonymised"
        return (f"cutoff {self.cutoff.isoformat()}: {self.inactive} inactive, {verb} {self.anonymised}, "
                f"skipped {self.skipped_open_work} with open work, {self.batches} batches, "
                f"{self.outbox_pruned} published events pruned")


async def anonymise_inactive(
    session_factory: async_sessionmaker[AsyncSession], policy: RetentionPolicy, *, cutoff: date,
    audit_model: type[AuditMixin], outbox_model: type[OutboxMixin] | None = None, dry_run: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE, command: str | None = None,
) -> RetentionReport:
    report = RetentionReport(cutoff=cutoff, dry_run=dry_run)
    instant = cutoff_instant(cutoff)
    after: uuid.UUID | None = None
    while True:
        async with session_factory() as session, unit_of_work(session):
            ids = await policy.candidates(session, cutoff=instant, after=after, limit=batch_size)
            if not ids:
                break
            busy = await policy.with_open_work(session, ids)
            ready = [i for i in ids if i not in busy]
            if ready and not dry_run:
                await policy.anonymise(session, ready)
        # Keyset paging: skipped people stay candidates, so the next batch starts after the last id seen.
        after = ids[-1]
        report.batches += 1
        report.inactive += len(ids)
        report.anonymised += len(ready)
        report.skipped_open_work += len(busy)
        logger.info("retention batch", extra={"resource": policy.resource_type, "batch": report.batches,
                                              "anonymised": len(ready), "skipped": len(busy), "dry_run": dry_run})
    if not dry_run:
        if outbox_model is not None:
            report.outbox_pruned = await delete_published_before(session_factory, outbox_model, instant, batch_size)
        async with session_factory() as session, unit_of_work(session):
            await record_access(session, audit_model, principal=RETENTION_ACTOR, action="anonymise",
                                resource_type=policy.resource_type, fields=policy.fields,
                                reason=report.summary()[:500], endpoint=command)
    logger.info("retention run", extra={"resource": policy.resource_type, "cutoff": cutoff.isoformat(),
                                        "inactive": report.inactive, "anonymised": report.anonymised,
                                        "skipped": report.skipped_open_work, "dry_run": dry_run,
                                        "outbox_pruned": report.outbox_pruned})
    return report


def default_cutoff(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def parse_args(argv: Sequence[str] | None, *, service: str, default_years: int, minimum_years: int,
               today: date) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=f"python -m services.{service}.retention",
        description=f"Anonymise people inactive before a cutoff (default: {default_years} years before today).")
    parser.add_argument("--before", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help="anonymise people whose last activity is before this day (UTC)")
    parser.add_argument("--dry-run", action="store_true", help="count only; change nothing")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="people per transaction")
    args = parser.parse_args(argv)
    if not 1 <= args.batch_size <= 10_000:
        parser.error("--batch-size must be between 1 and 10000")
    args.before = args.before or default_cutoff(today, default_years)
    latest = default_cutoff(today, minimum_years)
    if args.before > latest:
        parser.error(f"--before must be on or before {latest.isoformat()}: records are kept at least "
                     f"{minimum_years} year(s) after the last activity")
    return args


def main(argv: Sequence[str] | None, *, service: str, settings, policy: RetentionPolicy,
         audit_model: type[AuditMixin], outbox_model: type[OutboxMixin], minimum_years: int) -> RetentionReport:
    """The body of ``python -m services.<svc>.retention``: prints the counts, logs counts only."""
    args = parse_args(argv, service=service, default_years=settings.retention_years, minimum_years=minimum_years,
                      today=datetime.now(UTC).date())
    configure_logging(settings.log_level, json_logs=settings.log_json)

    async def go() -> RetentionReport:
        engine = create_engine(settings.database_url, pool_size=2)
        try:
            return await anonymise_inactive(
                create_session_factory(engine), policy, cutoff=args.before, audit_model=audit_model,
                outbox_model=outbox_model, dry_run=args.dry_run, batch_size=args.batch_size,
                command=f"python -m services.{service}.retention")
        finally:
            await engine.dispose()

    report = asyncio.run(go())
    print(report.summary())
    return report
