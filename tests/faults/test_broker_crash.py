"""The broker killed (SIGKILL) and restarted twice while events of every flow stream through it: every
committed event has its effect exactly once, nothing is lost, and the flow resumes within 10 s of each
restart without anyone touching it."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.faults.conftest import FAULT_EVENTS
from tests.faults.results import record
from tests.faults.support import MIX, Sent, commit_events, effects, metric_total, split, wait_all_arrived

pytestmark = [pytest.mark.slow, pytest.mark.faults]


async def progress(urls, sent) -> int:
    return sum((await effects(urls, sent)).values())


async def wait_progress_beyond(urls, sent, floor: int, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if await progress(urls, sent) > floor:
            return time.monotonic() - started
        await asyncio.sleep(0.2)
    raise AssertionError(f"no progress beyond {floor} within {timeout}s")


async def test_broker_killed_twice_mid_stream_loses_nothing_and_does_nothing_twice(servers, platform):
    urls, rabbit = servers.urls, servers.rabbit
    sent = Sent()
    types = split(FAULT_EVENTS)
    third = len(types) // 3
    started = time.monotonic()
    recoveries = []
    await commit_events(urls, types[:third], sent)
    for round_ in (1, 2):
        await wait_progress_beyond(urls, sent, 0 if round_ == 1 else sent.total // 2, timeout=60)
        await asyncio.to_thread(rabbit.kill)
        # Committed while the broker is down: they wait in the outboxes.
        await commit_events(urls, types[third * round_:third * (round_ + 1) if round_ == 1 else None], sent)
        floor = await progress(urls, sent)
        await asyncio.to_thread(rabbit.start)
        recoveries.append(await wait_progress_beyond(urls, sent, floor, timeout=30))
    got, _ = await wait_all_arrived(urls, sent, timeout=max(60, FAULT_EVENTS / 50))
    elapsed = time.monotonic() - started
    expected = {t: len(sent.ids[t]) for t in MIX}
    assert sent.total == FAULT_EVENTS
    assert got == expected  # each committed event once (the effects are unique per event id)
    assert max(recoveries) <= 10, recoveries
    await asyncio.sleep(1)
    assert await effects(urls, sent) == expected  # and no late second effect
    duplicates = sum(metric_total(platform.url(c), "events_consumed_total", outcome="duplicate")
                     for c in ("community", "chronic_care"))
    dead = sum(metric_total(platform.url(c), "events_consumed_total", outcome="dead")
               for c in ("community", "chronic_care"))
    assert dead == 0
    record("broker killed (SIGKILL) and restarted twice", sent=sent.total, delivered=sum(got.values()),
           duplicates_suppressed=int(duplicates), dead_lettered=int(dead), lost=sent.total - sum(got.values()),
           recovery_s=round(max(recoveries), 1), seconds=round(elapsed, 1))
