"""The live feed for the one screen: alerts and work-order changes pushed to subscribed clients as server-sent
events, over a real HTTP server; a reconnecting client resumes after the last id it saw."""

import asyncio
import contextlib
import json
import socket
from datetime import UTC, datetime

import httpx
import uvicorn
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from services.community.app import create_app
from services.community.feed.cursor import FeedCursor
from services.community.feed.models import FeedEvent
from services.community.settings import Settings
from services.community.tests.helpers import AUDITOR, STAFF, ZHENNING, device_key, household, kit
from shared.database import create_engine, create_session_factory
from shared.testing import eventually


@contextlib.asynccontextmanager
async def serving(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server._serve())  # _serve: no signal handlers of its own inside pytest
    await eventually(lambda: server.started or task.done())
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        server.force_exit = True  # open streams do not hold the test up
        await task


class SSE:
    """Reads server-sent events (id, event, data) off one streaming response."""

    def __init__(self, response):
        self.lines = response.aiter_lines()

    async def ready(self, timeout: float = 5.0) -> str:
        """The stream's opening comment: from here on, nothing that commits is missed."""

        async def read():
            async for line in self.lines:
                if line.startswith(":"):
                    return line

        return await asyncio.wait_for(read(), timeout)

    async def next(self, n: int, timeout: float = 10.0) -> list[dict]:
        out, current = [], {}

        async def read():
            async for line in self.lines:
                if not line:
                    if "data" in current:
                        out.append(dict(current))
                        if len(out) == n:
                            return
                    current.clear()
                elif line.startswith(("id:", "event:", "data:")):
                    key, _, value = line.partition(":")
                    current[key] = json.loads(value) if key == "data" else value.strip()

        await asyncio.wait_for(read(), timeout)
        return out


async def test_alerts_and_work_order_changes_reach_subscribed_clients(database_url_for, event_prefix):
    url = await database_url_for("community")
    app = create_app(Settings(database_url=url, event_prefix=event_prefix, event_bus="rabbitmq",
                              escalation_sweep_seconds=0, feed_poll_seconds=3, feed_stream_seconds=30))
    async with serving(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as http:
        assert (await http.get("/feed/stream", headers=device_key("community:alerts:vendor:anxin"))).status_code == 403
        r = await http.get("/feed/stream", headers={**AUDITOR, "Last-Event-ID": "abc"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "Last-Event-ID"
        smoke = (await kit(http, (await household(http))["id"]))["smoke"]

        async with http.stream("GET", "/feed/stream", headers=AUDITOR, params={"community_code": ZHENNING}) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = SSE(response)
            assert "feed after" in await stream.ready()
            receipt = (await http.post(f"/devices/{smoke['id']}/alerts", json={}, headers=STAFF)).json()
            got = await stream.next(2, timeout=1.5)  # woken at commit, well before the next poll
            assert [e["event"] for e in got] == ["workorder.raised", "alert.raised"]
            assert all(e["data"]["data"]["work_order_id"] == receipt["work_order_id"] for e in got)
            assert got[0]["data"]["data"]["severity"] == "critical" and "person_refs" not in got[1]["data"]["data"]
            r = await http.post(f"/work-orders/{receipt['work_order_id']}/acknowledge", json={}, headers=STAFF)
            assert r.status_code == 200
            (ack,) = await stream.next(1, timeout=1.5)
            assert ack["event"] == "workorder.acknowledged" and ack["data"]["data"]["assignee"] == "secretary-yao"
            assert int(got[0]["id"]) < int(got[1]["id"]) < int(ack["id"])

            # A change committed by another replica (no in-process wake-up) arrives by polling.
            engine = create_engine(url)
            try:
                async with create_session_factory(engine)() as session, session.begin():
                    await session.execute(insert(FeedEvent).values(
                        at=datetime.now(UTC), kind="workorder.dispatched", street_code="330109005",
                        community_code=ZHENNING, data={"work_order_id": receipt["work_order_id"]}))
            finally:
                await engine.dispose()
            (other,) = await stream.next(1, timeout=8)  # found by the poll
            assert other["event"] == "workorder.dispatched"

        # The browser reconnects with the last id it saw and misses nothing.
        async with http.stream("GET", "/feed/stream", headers={**STAFF, "Last-Event-ID": got[0]["id"]}) as response:
            replay = await SSE(response).next(3)
            assert [e["id"] for e in replay] == [got[1]["id"], ack["id"], other["id"]]
        page = (await http.get("/feed", params={"after": got[1]["id"]}, headers=AUDITOR)).json()
        assert [m["kind"] for m in page["items"]] == ["workorder.acknowledged", "workorder.dispatched"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 5), st.booleans()), min_size=1, max_size=40), st.integers(1, 8))
def test_the_cursor_delivers_every_committed_number_once_whatever_the_commit_order(numbers, batch):
    """Number k is taken at k/10 s and commits ``delay`` later (or rolls back); a reader polling once a second
    with a 10 s grace delivers each committed number exactly once and is never stuck behind a rollback."""
    commits = {k + 1: (k / 10 + delay if committed else None) for k, (delay, committed) in enumerate(numbers)}
    cursor, delivered = FeedCursor(0, grace_seconds=10), []
    for t in range(120):
        wanted = set(cursor.missing)
        visible = sorted(k for k, at in commits.items() if at is not None and at <= t
                         and (k > cursor.top or k in wanted))
        delivered += cursor.accept(visible[:batch], float(t))
    assert sorted(delivered) == sorted(k for k, at in commits.items() if at is not None)
    assert len(delivered) == len(set(delivered))
    # Rolled-back numbers below the last committed one were stepped over in the end.
    assert cursor.floor == max((k for k, at in commits.items() if at is not None), default=0)
