"""What the fault tests share: a private RabbitMQ node and a private PostgreSQL cluster (the only servers they
crash), the platform as processes on them, events committed in bulk to producers' outboxes as their use
cases commit them, and the effects counted in the consumers' databases.

Events used (each has a countable effect or inbox row at its consumer):
- chronic_care.reading.flagged  -> community: one visit request per event (visit_requests.source_event_id)
- renovation.space.commissioned -> community: one station per space (stations.source_space_id)
- community.alert.raised        -> chronic_care: inbox row (smoke alarms: recorded, nothing to flag)
- community.visit.completed     -> chronic_care: inbox row (people not in care here: nothing to add)
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy import func, select, text

from gateway.migrate import upgrade as migrate_gateway
from shared.database import create_engine, create_session_factory, unit_of_work
from shared.events.contracts.chronic_care import ReadingFlaggedV1
from shared.events.contracts.community import AlertRaisedV1, VisitCompletedV1
from shared.events.contracts.renovation import SpaceCommissionedV1
from shared.migrate import SERVICES, upgrade
from shared.testing_servers import PrivatePostgres, PrivateRabbitMQ
from tests.e2e.platform import load_demo
from tests.support.platform import Platform

PRODUCER_OF = {"chronic_care.reading.flagged": "chronic_care", "renovation.space.commissioned": "renovation",
               "community.alert.raised": "community", "community.visit.completed": "community"}
CONSUMER_OF = {"chronic_care.reading.flagged": "community", "renovation.space.commissioned": "community",
               "community.alert.raised": "chronic_care", "community.visit.completed": "chronic_care"}
# The mix of a run "across the flows", as shares of the total.
MIX = {"chronic_care.reading.flagged": 0.4, "renovation.space.commissioned": 0.1, "community.alert.raised": 0.3,
       "community.visit.completed": 0.2}


def _db_module(service: str):
    import importlib

    return importlib.import_module(f"services.{service}.db")


def make_event(event_type: str, i: int):
    now = datetime.now(UTC)
    ref = f"pr_{uuid.uuid4().hex}"
    if event_type == "chronic_care.reading.flagged":
        return ReadingFlaggedV1(reading_id=uuid.uuid4(), person_ref=ref, severity="high", flagged_at=now,
                                street_code="330109005", community_code="330109005001")
    if event_type == "renovation.space.commissioned":
        return SpaceCommissionedV1(space_id=uuid.uuid4(), name=f"故障测试站点{i}", service_type="neighbourhood",
                                   street_code="330109005", community_code="330109005001",
                                   latitude=30.2 + (i % 100) * 1e-4, longitude=120.28, area_m2=50.0,
                                   commissioned_at=now)
    if event_type == "community.alert.raised":
        return AlertRaisedV1(alert_id=uuid.uuid4(), work_order_id=uuid.uuid4(), device_id=uuid.uuid4(),
                             device_type="smoke", severity="high", household_id=uuid.uuid4(), person_refs=[ref],
                             street_code="330109005", raised_at=now)
    return VisitCompletedV1(visit_id=uuid.uuid4(), person_ref=ref, outcome="visited", completed_at=now)


@dataclass
class Sent:
    """Event ids committed per type (what must arrive, once each)."""

    ids: dict[str, list[uuid.UUID]] = field(default_factory=lambda: {t: [] for t in MIX})
    spaces: list[uuid.UUID] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.ids.values())


def split(total: int) -> list[str]:
    """``total`` event types in the MIX's proportions, interleaved."""
    counts = {t: int(total * share) for t, share in MIX.items()}
    counts["chronic_care.reading.flagged"] += total - sum(counts.values())
    order = []
    while any(counts.values()):
        for t in MIX:
            if counts[t]:
                order.append(t)
                counts[t] -= 1
    return order


async def commit_events(urls: dict[str, str], types: Iterable[str], sent: Sent, *, batch: int = 250) -> None:
    """Commit events to their producers' outboxes, ``batch`` per transaction (as use cases commit them)."""
    by_producer: dict[str, list[str]] = {}
    for t in types:
        by_producer.setdefault(PRODUCER_OF[t], []).append(t)
    engines = {p: create_engine(urls[p]) for p in by_producer}
    try:
        for producer, kinds in by_producer.items():
            factory = create_session_factory(engines[producer])
            outbox = _db_module(producer).outbox
            for start in range(0, len(kinds), batch):
                async with factory() as session, unit_of_work(session):
                    for i, t in enumerate(kinds[start:start + batch], start=start):
                        event = make_event(t, i)
                        envelope = await outbox.add(session, event)
                        sent.ids[t].append(envelope.id)
                        if t == "renovation.space.commissioned":
                            sent.spaces.append(event.space_id)
    finally:
        for engine in engines.values():
            await engine.dispose()


async def _scalar(url: str, statement) -> int:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return int(await session.scalar(statement) or 0)
    finally:
        await engine.dispose()


async def inbox_count(url: str, service: str, ids: list[uuid.UUID]) -> int:
    model = _db_module(service).InboxMessage
    total = 0
    for start in range(0, len(ids), 5000):
        total += await _scalar(url, select(func.count()).select_from(model).where(
            model.event_id.in_(ids[start:start + 5000])))
    return total


async def effects(urls: dict[str, str], sent: Sent) -> dict[str, int]:
    """Per event type, how many of the sent events have had their effect (each at most once by constraint)."""
    from services.community.stations.models import Station
    from services.community.visits.models import VisitRequest

    flagged = sent.ids["chronic_care.reading.flagged"]
    out = {"chronic_care.reading.flagged": 0, "renovation.space.commissioned": 0}
    for start in range(0, len(flagged), 5000):
        out["chronic_care.reading.flagged"] += await _scalar(urls["community"], select(func.count()).select_from(
            VisitRequest).where(VisitRequest.source_event_id.in_(flagged[start:start + 5000])))
    if sent.spaces:
        out["renovation.space.commissioned"] = await _scalar(urls["community"], select(func.count()).select_from(
            Station).where(Station.source_space_id.in_(sent.spaces)))
    for t in ("community.alert.raised", "community.visit.completed"):
        out[t] = await inbox_count(urls["chronic_care"], "chronic_care", sent.ids[t])
    return out


async def unpublished(url: str, service: str) -> int:
    model = _db_module(service).OutboxMessage
    return await _scalar(url, select(func.count()).select_from(model).where(model.published_at.is_(None)))


async def wait_all_arrived(urls: dict[str, str], sent: Sent, *, timeout: float) -> tuple[dict[str, int], float]:
    started = time.monotonic()
    while True:
        got = await effects(urls, sent)
        if all(got[t] == len(sent.ids[t]) for t in MIX):
            return got, time.monotonic() - started
        if time.monotonic() - started > timeout:
            return got, time.monotonic() - started
        await asyncio.sleep(0.5)


def metric_total(base_url: str, name: str, **labels: str) -> float:
    """Sum of a Prometheus counter's samples whose labels include ``labels``."""
    total = 0.0
    body = httpx.get(f"{base_url}/metrics", timeout=5).text
    for line in body.splitlines():
        if not line.startswith(name + "{"):
            continue
        match = re.match(r"[^{]+\{(.*)\} (\S+)$", line)
        if not match:
            continue
        have = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if all(have.get(k) == v for k, v in labels.items()):
            total += float(match.group(2))
    return total


@dataclass
class PrivateServers:
    """The private broker node and PostgreSQL cluster, with a migrated database per service."""

    workdir: Path
    rabbit: PrivateRabbitMQ = field(default_factory=PrivateRabbitMQ)
    postgres: PrivatePostgres = field(default_factory=PrivatePostgres)
    urls: dict[str, str] = field(default_factory=dict)

    async def start(self) -> PrivateServers:
        await asyncio.gather(asyncio.to_thread(self.rabbit.start), asyncio.to_thread(self.postgres.start))
        conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{self.postgres.port}/postgres")
        try:
            for service in SERVICES:
                await conn.execute(f'CREATE DATABASE "{service}"')
        finally:
            await conn.close()
        for service in SERVICES:
            self.urls[service] = self.postgres.url(service)
        for service in SERVICES:  # one after another: Alembic's context is process-global, not thread-safe
            await asyncio.to_thread(upgrade, service, self.urls[service])
        self.urls["gateway"] = f"sqlite+aiosqlite:///{self.workdir / 'gateway.db'}"
        await asyncio.to_thread(migrate_gateway, self.urls["gateway"])
        await load_demo("gateway", self.urls["gateway"])
        return self

    def stop(self) -> None:
        self.rabbit.stop_and_remove()
        self.postgres.stop_and_remove()


def platform_on(servers: PrivateServers, logs: Path, **extra_env: str) -> Platform:
    return Platform(database_urls=servers.urls, broker_url=servers.rabbit.url,
                    event_prefix=f"f{uuid.uuid4().hex[:8]}.", logs=logs,
                    extra_env={"MINSHENG_DEMO_PASSWORD": "minsheng-demo", **extra_env})


def raw_sql(url: str, sql: str):
    async def run():
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return (await conn.execute(text(sql))).all()
        finally:
            await engine.dispose()

    return run()
