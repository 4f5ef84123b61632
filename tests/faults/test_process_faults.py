"""Faults of the services' processes and of their database, on the private servers: a consumer killed mid-stream,
a producer dead between commit and publish, a poison message and an always-failing handler, PostgreSQL
restarted under a producing service, a hung service behind the gateway. For each: what was committed arrives
and has its effect exactly once, nothing is lost, and the platform recovers within 10 s by itself."""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from datetime import UTC, datetime

import aio_pika
import httpx
import pytest

from shared.database import create_engine, create_session_factory, unit_of_work
from shared.events.bus import exchange_name
from shared.events.contracts.renovation import SpaceCommissionedV1
from shared.events.ops import dlq_list
from shared.settings import PlatformSettings
from tests.faults.results import record
from tests.faults.support import (
    MIX,
    Sent,
    commit_events,
    effects,
    metric_total,
    split,
    unpublished,
    wait_all_arrived,
)
from tests.flows.scenarios import Client

pytestmark = [pytest.mark.slow, pytest.mark.faults]


async def until(check, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"{what} not within {timeout}s")


async def total_effects(urls, sent) -> int:
    return sum((await effects(urls, sent)).values())


async def test_consumer_killed_mid_stream_and_restarted(servers, platform):
    urls, sent = servers.urls, Sent()
    types = split(800)
    await commit_events(urls, types[:400], sent)
    await until(lambda: _above(total_effects(urls, sent), 50), 30, "first effects")
    platform.apps["community"].kill()  # SIGKILL mid-stream: unacknowledged deliveries go back to the queue
    await commit_events(urls, types[400:], sent)
    floor = await total_effects(urls, sent)
    await asyncio.to_thread(platform.apps["community"].start)
    recovery = await until(lambda: _above(total_effects(urls, sent), floor), 10, "progress after restart")
    got, _ = await wait_all_arrived(urls, sent, timeout=60)
    assert got == {t: len(sent.ids[t]) for t in MIX}
    duplicates = metric_total(platform.url("community"), "events_consumed_total", outcome="duplicate")
    record("consumer (community) killed mid-stream, restarted", sent=sent.total, delivered=sum(got.values()),
           duplicates_suppressed=int(duplicates), dead_lettered=0, lost=sent.total - sum(got.values()),
           recovery_s=round(recovery, 1))


async def _above(coro, floor: int) -> bool:
    return (await coro) > floor


async def test_producer_dead_between_commit_and_publish_publishes_on_restart(servers, platform):
    """The state a crash between commit and publish leaves: rows committed in the outbox, never published.
    The producer is killed first, so that no relay of it can publish them before the restart."""
    urls, sent = servers.urls, Sent()
    platform.apps["chronic_care"].kill()
    await commit_events(urls, ["chronic_care.reading.flagged"] * 300, sent)
    assert await unpublished(urls["chronic_care"], "chronic_care") >= 300
    await asyncio.sleep(1.0)
    assert (await effects(urls, sent))["chronic_care.reading.flagged"] == 0  # nothing left the dead producer
    launched = time.monotonic()
    await asyncio.to_thread(platform.apps["chronic_care"].start)
    restarted = time.monotonic()  # recovery counts from the restarted process being ready, not its start-up
    got, _ = await wait_all_arrived(urls, sent, timeout=30)
    recovery = time.monotonic() - restarted
    assert got["chronic_care.reading.flagged"] == 300
    assert await unpublished(urls["chronic_care"], "chronic_care") == 0
    assert recovery <= 10, recovery
    record("producer (chronic_care) dead between commit and publish", sent=300, delivered=300,
           duplicates_suppressed=0, dead_lettered=0, lost=300 - got["chronic_care.reading.flagged"],
           recovery_s=round(recovery, 1), process_start_s=round(restarted - launched, 1))


async def test_poison_message_and_failing_handler_are_dead_lettered_while_the_rest_flows(servers, platform):
    urls, sent = servers.urls, Sent()
    # A body that is not an event at all, straight onto the exchange community consumes from.
    connection = await aio_pika.connect(servers.rabbit.url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(exchange_name(platform.event_prefix, "renovation"))
        await exchange.publish(aio_pika.Message(b"\x00not json{", delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                               routing_key="renovation.space.commissioned.v1")
    # A valid event whose handler fails every time: the street code does not fit community's column.
    failing_id = await _commit_one(urls["renovation"], SpaceCommissionedV1(
        space_id=uuid.uuid4(), name="永远失败", service_type="neighbourhood", street_code="3" * 30,
        latitude=30.2, longitude=120.28, area_m2=10.0, commissioned_at=datetime.now(UTC)))
    await commit_events(urls, split(300), sent)
    got, _ = await wait_all_arrived(urls, sent, timeout=60)
    assert got == {t: len(sent.ids[t]) for t in MIX}
    settings = PlatformSettings(broker_url=servers.rabbit.url, event_prefix=platform.event_prefix)

    async def dead():
        return len(await dlq_list(settings, "community")) >= 2

    await until(dead, 30, "two dead letters")
    letters = await dlq_list(settings, "community")
    assert "<unparseable>" in {d["type"] for d in letters}, letters
    assert str(failing_id) in {d["event_id"] for d in letters}
    retries = metric_total(platform.url("community"), "events_consumed_total", outcome="retry")
    assert retries >= 4  # tried up to the delivery limit before it was dead-lettered
    record("poison message + always-failing handler", sent=sent.total + 2, delivered=sum(got.values()),
           duplicates_suppressed=0, dead_lettered=len(letters), lost=0, handler_attempts=int(retries))


async def _commit_one(url: str, contract) -> uuid.UUID:
    from services.renovation.db import outbox

    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session, unit_of_work(session):
            return (await outbox.add(session, contract)).id
    finally:
        await engine.dispose()


async def test_hung_service_behind_the_gateway(servers, platform):
    api = Client(platform.url())
    assert api.call("admin", "GET", "jobs/stats/overview").status_code == 200
    jobs = platform.apps["jobs"].process
    os.killpg(jobs.pid, signal.SIGSTOP)  # hung: accepts connections, answers nothing
    try:
        timings = []
        for _ in range(5):
            started = time.monotonic()
            r = api.call("admin", "GET", "jobs/stats/overview")
            timings.append(time.monotonic() - started)
            assert r.status_code in (503, 504), r.text
            assert r.headers["content-type"].startswith("application/problem+json")
        assert max(timings) <= 3.5, timings  # the deadline holds (GATEWAY_REQUEST_DEADLINE=3)
        assert timings[-1] < 0.5, timings  # the breaker is open: no more waiting on the hung service
        started = time.monotonic()
        r = api.call("renovation", "GET", "renovation/spaces")
        assert r.status_code == 200 and time.monotonic() - started < 1.0  # other areas unaffected
        overview = api.ok("admin", "GET", "dashboard/overview")
        assert "jobs" in overview["unavailable"] and overview["areas"]["renovation"]["status"] == "ok"
    finally:
        os.killpg(jobs.pid, signal.SIGCONT)
    recovered = time.monotonic()
    while api.call("admin", "GET", "jobs/stats/overview").status_code != 200:
        assert time.monotonic() - recovered < 10, "jobs not back within 10 s"
        await asyncio.sleep(0.2)
    record("hung service (jobs) behind the gateway", sent=0, delivered=0, duplicates_suppressed=0, dead_lettered=0,
           lost=0, slowest_answer_s=round(max(timings), 2), answer_with_breaker_open_s=round(timings[-1], 3),
           recovery_s=round(time.monotonic() - recovered, 1))


def _space(api: Client, i: int) -> httpx.Response:
    return api.call("renovation", "POST", "renovation/spaces", json={
        "name": f"重启测试{i}", "kind": "corridor", "community_code": "330109005001", "latitude": 30.2,
        "longitude": 120.28, "area_m2": 20.0, "service_type": "neighbourhood"})


async def test_postgres_restarted_under_a_producing_service(servers, platform):
    """Spaces registered and commissioned through the gateway while the cluster crashes and comes back: every
    request either succeeds or fails cleanly (503 problem+json); no commission is half-applied (a commissioned
    space always has its event, a refused one has none); service resumes within 10 s of the restart."""
    api = Client(platform.url())
    results: list[tuple[str, int, str]] = []
    commissioned: list[str] = []
    refused: list[str] = []

    def one(i: int) -> None:
        r = _space(api, i)
        results.append(("register", r.status_code, r.headers.get("content-type", "")))
        if r.status_code != 201:
            return
        space_id = r.json()["id"]
        c = api.call("renovation", "POST", f"renovation/spaces/{space_id}/commission")
        results.append(("commission", c.status_code, c.headers.get("content-type", "")))
        (commissioned if c.status_code == 200 else refused).append(space_id)

    for i in range(10):
        one(i)
    await asyncio.to_thread(servers.postgres.crash)
    for i in range(10, 20):
        one(i)
    await asyncio.to_thread(servers.postgres.start)
    restarted = time.monotonic()
    i = 20
    while True:
        one(i)
        i += 1
        if results[-1][1] in (200, 201) and len(commissioned) > 10:
            break
        assert time.monotonic() - restarted < 10, results[-4:]
        await asyncio.sleep(0.1)
    recovery = time.monotonic() - restarted
    for _ in range(5):
        one(i)
        i += 1
    failures = [r for r in results if r[1] >= 300]
    assert failures, "the crash was not felt"
    assert all(code == 503 and ctype.startswith("application/problem+json") for _, code, ctype in failures), failures
    # None half-applied: each commissioned space opened exactly one station in community; no refused one did.
    from sqlalchemy import func, select

    from services.community.stations.models import Station
    from tests.faults.support import _scalar

    async def stations_for(ids):
        return await _scalar(servers.urls["community"], select(func.count()).select_from(Station).where(
            Station.source_space_id.in_([uuid.UUID(x) for x in ids])))

    await until(lambda: _equal(stations_for(commissioned), len(commissioned)), 60, "stations of commissioned")
    assert await stations_for(refused) == 0
    record("PostgreSQL crashed and restarted under renovation", sent=len(commissioned), delivered=len(commissioned),
           duplicates_suppressed=0, dead_lettered=0, lost=0, requests=len(results), failed_cleanly=len(failures),
           recovery_s=round(recovery, 1))


async def _equal(coro, value) -> bool:
    return (await coro) == value
