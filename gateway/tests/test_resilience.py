"""A down or hung service gives a fast 503 and the other areas keep serving; breakers open and close;
retries happen only where they cannot repeat an effect."""

import asyncio
import time

from gateway.tests.support import FakeClock, bearer, serving, stub_service
from shared.testing_servers import free_port

JOBS = bearer("jobs")


async def test_a_down_service_gives_a_fast_503_while_other_areas_serve(make_gateway):
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with serving(stub_service("community")) as (community,), \
            make_gateway(routes={"jobs": dead, "community": community.url}) as client:
        started = time.perf_counter()
        r = await client.get("/api/v1/jobs/echo/x", headers=JOBS)
        assert time.perf_counter() - started < 1.0
        assert r.status_code == 503
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["type"].endswith("/upstream-unavailable") and "jobs" in r.json()["detail"]
        assert int(r.headers["retry-after"]) >= 1
        assert r.json()["request_id"] == r.headers["x-request-id"]
        r = await client.get("/api/v1/community/echo/x", headers=bearer("community"))
        assert r.status_code == 200


async def test_the_breaker_opens_after_failures_and_closes_after_a_good_probe(make_gateway):
    clock = FakeClock()
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, clock=clock, breaker_failures=3, breaker_open_seconds=10,
            retry_attempts=0) as client:
        jobs.app.state.fail_next = 3
        for _ in range(3):
            assert (await client.get("/api/v1/jobs/echo/b", headers=JOBS)).status_code == 503
        assert jobs.app.state.calls[("GET", "/echo/b")] == 3
        # Open: refused at the gateway without touching the service.
        r = await client.get("/api/v1/jobs/echo/b", headers=JOBS)
        assert r.status_code == 503 and "circuit open" in r.json()["detail"]
        assert r.headers["retry-after"] == "10"
        assert jobs.app.state.calls[("GET", "/echo/b")] == 3
        metrics = (await client.get("/metrics")).text
        assert f'gateway_upstream_breaker_state{{area="jobs",replica="{jobs.url}"}} 2.0' in metrics
        clock.advance(10)  # half-open: one probe goes through and succeeds
        assert (await client.get("/api/v1/jobs/echo/b", headers=JOBS)).status_code == 200
        for _ in range(3):
            assert (await client.get("/api/v1/jobs/echo/b", headers=JOBS)).status_code == 200
        assert jobs.app.state.calls[("GET", "/echo/b")] == 7


async def test_a_failed_probe_opens_the_breaker_again(make_gateway):
    clock = FakeClock()
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, clock=clock, breaker_failures=1, breaker_open_seconds=5,
            retry_attempts=0) as client:
        jobs.app.state.fail_next = 2
        assert (await client.get("/api/v1/jobs/echo/p", headers=JOBS)).status_code == 503
        clock.advance(5)
        assert (await client.get("/api/v1/jobs/echo/p", headers=JOBS)).status_code == 503  # the probe fails
        r = await client.get("/api/v1/jobs/echo/p", headers=JOBS)
        assert "circuit open" in r.json()["detail"]
        assert jobs.app.state.calls[("GET", "/echo/p")] == 2


async def test_one_dead_replica_is_skipped_and_the_other_serves(make_gateway):
    dead = f"http://127.0.0.1:{free_port()}"
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": f"{dead},{jobs.url}"},
                                                                      breaker_failures=1) as client:
        for _ in range(4):
            r = await client.post("/api/v1/jobs/things", json={"n": 1}, headers=JOBS)
            assert r.status_code == 201  # a refused connection never reached a service: safe to try the other
        assert jobs.app.state.calls[("POST", "/things")] == 4


async def test_safe_requests_are_retried_on_503(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      retry_backoff_ms=1) as client:
        jobs.app.state.fail_next = 2
        r = await client.get("/api/v1/jobs/echo/flaky", headers=JOBS)
        assert r.status_code == 200
        assert jobs.app.state.calls[("GET", "/echo/flaky")] == 3


async def test_a_post_without_idempotency_key_is_never_repeated(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      retry_backoff_ms=1) as client:
        jobs.app.state.fail_next = 1
        r = await client.post("/api/v1/jobs/things", json={"amount_fen": 100}, headers=JOBS)
        assert r.status_code == 503 and r.json() == {"detail": "busy"}  # the service's own answer
        assert jobs.app.state.calls[("POST", "/things")] == 1


async def test_a_post_with_idempotency_key_may_be_retried(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      retry_backoff_ms=1) as client:
        jobs.app.state.fail_next = 1
        r = await client.post("/api/v1/jobs/things", json={"amount_fen": 100},
                              headers={**JOBS, "Idempotency-Key": "pay-1"})
        assert r.status_code == 201
        assert jobs.app.state.calls[("POST", "/things")] == 2


async def test_a_hung_service_times_out_into_503_and_is_not_retried(make_gateway):
    async with serving(stub_service("jobs"), stub_service("community")) as (jobs, community), make_gateway(
            routes={"jobs": jobs.url, "community": community.url}, upstream_timeout=0.3, request_deadline=0.5,
            breaker_failures=2) as client:
        started = time.perf_counter()
        hung, other = await asyncio.gather(client.get("/api/v1/jobs/hang", headers=JOBS),
                                           client.get("/api/v1/community/echo/c", headers=bearer("community")))
        assert time.perf_counter() - started < 1.0
        assert hung.status_code == 503 and "timed out" in hung.json()["detail"]
        assert other.status_code == 200
        assert jobs.app.state.calls[("GET", "/hang")] == 1  # a timed-out request may still be running: no retry
        await client.get("/api/v1/jobs/hang", headers=JOBS)
        started = time.perf_counter()
        r = await client.get("/api/v1/jobs/hang", headers=JOBS)
        assert r.status_code == 503 and time.perf_counter() - started < 0.1  # breaker open: immediate
        jobs.app.state.hang.set()


async def test_retries_stay_within_the_budget(make_gateway):
    clock = FakeClock()
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(
            routes={"jobs": jobs.url}, clock=clock, retry_backoff_ms=0, retry_budget_ratio=0.0,
            breaker_failures=1000) as client:
        jobs.app.state.fail_next = 100
        for _ in range(10):
            await client.get("/api/v1/jobs/echo/budget", headers=JOBS)
        # 10 requests; the budget's floor (5 retries at start, none earned at ratio 0, no time passed).
        assert jobs.app.state.calls[("GET", "/echo/budget")] == 15
