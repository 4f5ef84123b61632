"""Admission: an area at its limit of requests in flight refuses the excess at once (503, Retry-After,
problem+json) instead of queueing it until the upstream timeout; health, metrics, the console, event streams
and the other areas are never held back by it."""

import asyncio
import json
import time

import httpx

from gateway.proxy.admission import AreaGate, Shed
from gateway.tests.support import Server, bearer, serving, stub_service
from shared.testing import eventually

JOBS = bearer("jobs")
COMMUNITY = bearer("community")


def hung_calls(svc) -> int:
    return svc.app.state.calls[("GET", "/hang")]


async def test_past_the_limit_the_excess_is_refused_at_once_and_served_again_after(make_gateway):
    limit, extra = 3, 2
    async with serving(stub_service("jobs"), stub_service("community")) as (jobs, community), make_gateway(
            routes={"jobs": jobs.url, "community": community.url}, max_in_flight=limit,
            admission_wait_ms=0) as client:
        held = [asyncio.create_task(client.get("/api/v1/jobs/hang", headers=JOBS)) for _ in range(limit)]
        await eventually(lambda: hung_calls(jobs) == limit, timeout=5)

        started = time.perf_counter()
        refused = await asyncio.gather(*(client.get("/api/v1/jobs/hang", headers=JOBS) for _ in range(extra)))
        assert time.perf_counter() - started < 1.0  # at once, not after the 5 s upstream timeout
        for r in refused:
            assert r.status_code == 503
            assert r.headers["content-type"] == "application/problem+json"
            assert r.headers["retry-after"] == "1"
            problem = r.json()
            assert problem["type"].endswith("/overloaded") and problem["title"] == "Too busy: retry shortly"
            assert "jobs" in problem["detail"] and problem["request_id"] == r.headers["x-request-id"]
        assert hung_calls(jobs) == limit  # the refused ones never reached the service

        # Meanwhile the other area, health and metrics are served as usual.
        assert (await client.get("/api/v1/community/echo/c", headers=COMMUNITY)).status_code == 200
        for path in ("/healthz", "/readyz", "/console/"):
            assert (await client.get(path)).status_code == 200, path
        metrics = (await client.get("/metrics")).text
        assert 'gateway_shed_total{area="jobs",reason="full"} 2.0' in metrics
        assert 'gateway_in_flight{area="jobs"} 3.0' in metrics
        assert 'gateway_in_flight{area="community"} 0.0' in metrics

        jobs.app.state.hang.set()
        assert [r.status_code for r in await asyncio.gather(*held)] == [200] * limit
        # The slots came back: the area serves again, up to its limit.
        again = await asyncio.gather(*(client.get("/api/v1/jobs/echo/x", headers=JOBS) for _ in range(limit)))
        assert [r.status_code for r in again] == [200] * limit
        assert 'gateway_in_flight{area="jobs"} 0.0' in (await client.get("/metrics")).text


async def test_a_queued_request_is_served_when_a_slot_frees_within_the_wait(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, max_in_flight=1, admission_queue=1, admission_wait_ms=5000) as client:
        first = asyncio.create_task(client.get("/api/v1/jobs/hang", headers=JOBS))
        await eventually(lambda: hung_calls(jobs) == 1, timeout=5)
        queued = asyncio.create_task(client.get("/api/v1/jobs/echo/q", headers=JOBS))
        await eventually(lambda: client.gateway.proxy.gates["jobs"].waiting == 1, timeout=5)
        beyond_queue = await client.get("/api/v1/jobs/echo/q", headers=JOBS)
        assert beyond_queue.status_code == 503 and beyond_queue.headers["retry-after"] == "1"
        assert not queued.done()

        jobs.app.state.hang.set()
        assert (await first).status_code == 200
        assert (await queued).status_code == 200
        assert jobs.app.state.calls[("GET", "/echo/q")] == 1


async def test_a_request_that_waited_too_long_is_shed_rather_than_served_late(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, max_in_flight=1, admission_queue=4, admission_wait_ms=200) as client:
        first = asyncio.create_task(client.get("/api/v1/jobs/hang", headers=JOBS))
        await eventually(lambda: hung_calls(jobs) == 1, timeout=5)
        started = time.perf_counter()
        late = await client.get("/api/v1/jobs/echo/late", headers=JOBS)
        waited = time.perf_counter() - started
        assert late.status_code == 503 and late.json()["type"].endswith("/overloaded")
        assert 0.15 < waited < 1.5
        assert jobs.app.state.calls[("GET", "/echo/late")] == 0
        assert 'gateway_shed_total{area="jobs",reason="waited"} 1.0' in (await client.get("/metrics")).text
        jobs.app.state.hang.set()
        assert (await first).status_code == 200


async def test_a_post_with_idempotency_key_that_is_shed_can_be_sent_again(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, max_in_flight=1, admission_wait_ms=0) as client:
        first = asyncio.create_task(client.get("/api/v1/jobs/hang", headers=JOBS))
        await eventually(lambda: hung_calls(jobs) == 1, timeout=5)
        post = {"json": {"n": 1}, "headers": {**JOBS, "Idempotency-Key": "shed-1"}}
        assert (await client.post("/api/v1/jobs/things", **post)).status_code == 503
        jobs.app.state.hang.set()
        await first
        r = await client.post("/api/v1/jobs/things", **post)  # no "still in progress": the key was not taken
        assert r.status_code == 201 and jobs.app.state.calls[("POST", "/things")] == 1


async def test_a_shed_request_is_in_the_access_log_as_such(make_gateway, capsys):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, max_in_flight=1, admission_wait_ms=0, access_log=True, log_json=True,
            log_level="INFO") as client:
        first = asyncio.create_task(client.get("/api/v1/jobs/hang", headers=JOBS))
        await eventually(lambda: hung_calls(jobs) == 1, timeout=5)
        shed = await client.get("/api/v1/jobs/echo/x", headers={**JOBS, "X-Request-ID": "shed-me"})
        jobs.app.state.hang.set()
        await first
        client.gateway.proxy.access_log.flush()
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if '"msg": "request"' in line
             or '"msg":"request"' in line]
    shed_line = next(line for line in lines if line["request_id"] == "shed-me")
    assert shed.status_code == 503
    assert shed_line["status"] == 503 and shed_line["refused"] == "shed"
    assert shed_line["route"] == "/api/v1/jobs/{path}"
    assert all("refused" not in line for line in lines if line["request_id"] != "shed-me")


async def test_event_streams_take_no_slot(make_gateway):
    async with serving(stub_service("community")) as (svc,), make_gateway(
            routes={"community": svc.url}, max_in_flight=1, admission_wait_ms=0) as client:
        front = await Server(client.app, lifespan="off").start()  # the gateway on a real socket
        try:
            async with httpx.AsyncClient(base_url=front.url, timeout=5) as browser, \
                    browser.stream("GET", "/api/v1/community/events",
                                   headers={**COMMUNITY, "Accept": "text/event-stream"}) as asked, \
                    browser.stream("GET", "/api/v1/community/events", headers=COMMUNITY) as unasked:
                assert await anext(asked.aiter_text()) == "data: one\n\n"
                assert await anext(unasked.aiter_text()) == "data: one\n\n"  # a stream the client did not ask for
                # Two streams open, limit 1: ordinary requests still get through.
                for _ in range(3):
                    assert (await browser.get("/api/v1/community/echo/s", headers=COMMUNITY)).status_code == 200
                svc.app.state.hang.set()
        finally:
            await front.stop()


async def test_no_limit_when_turned_off(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      max_in_flight=0) as client:
        held = [asyncio.create_task(client.get("/api/v1/jobs/hang", headers=JOBS)) for _ in range(40)]
        await eventually(lambda: hung_calls(jobs) == 40, timeout=10)
        jobs.app.state.hang.set()
        assert {r.status_code for r in await asyncio.gather(*held)} == {200}


async def test_a_client_leaving_the_queue_keeps_no_slot():
    gate = AreaGate("jobs", limit=1, queue=2, max_wait=5)
    holder = await gate.enter()
    leaving = asyncio.create_task(gate.enter())
    staying = asyncio.create_task(gate.enter())
    await eventually(lambda: gate.waiting == 2, timeout=2)
    leaving.cancel()
    holder.release()  # goes to the request still waiting, not the one that left
    slot = await asyncio.wait_for(staying, 1)
    assert gate.in_flight == 1 and gate.waiting == 0
    slot.release()
    assert gate.in_flight == 0
    assert (await gate.enter()) is not None and gate.in_flight == 1


async def test_a_slot_handed_to_a_request_that_then_leaves_goes_on_to_the_next():
    gate = AreaGate("jobs", limit=1, queue=2, max_wait=5)
    holder = await gate.enter()
    first, second = asyncio.create_task(gate.enter()), asyncio.create_task(gate.enter())
    await eventually(lambda: gate.waiting == 2, timeout=2)
    holder.release()  # handed to ``first`` ...
    first.cancel()  # ... which leaves before it runs again
    slot = await asyncio.wait_for(second, 1)
    assert gate.in_flight == 1
    slot.release()
    assert gate.in_flight == 0


async def test_without_a_queue_the_excess_is_refused_at_once():
    gate = AreaGate("jobs", limit=2, queue=8, max_wait=0)
    slots = [await gate.enter(), await gate.enter()]
    try:
        await gate.enter()
    except Shed as shed:
        assert (shed.area, shed.reason, shed.limit) == ("jobs", "full", 2)
    else:
        raise AssertionError("a third request was admitted")
    for slot in slots:
        slot.release()
        slot.release()  # twice is harmless
    assert gate.in_flight == 0
