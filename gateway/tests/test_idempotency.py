"""Idempotency-Key edge cases with a stub service (the happy path runs against renovation)."""

from datetime import UTC, datetime, timedelta

from gateway.idempotency.store import fingerprint
from gateway.tests.support import bearer, serving, stub_service

JOBS = bearer("jobs", subject="clerk")


async def test_a_failed_attempt_is_not_kept_so_the_client_can_retry(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      retry_attempts=0) as client:
        jobs.app.state.fail_next = 1
        headers = {**JOBS, "Idempotency-Key": "loan-7"}
        first = await client.post("/api/v1/jobs/things", json={"fen": 5_000_000}, headers=headers)
        assert first.status_code == 503
        second = await client.post("/api/v1/jobs/things", json={"fen": 5_000_000}, headers=headers)
        third = await client.post("/api/v1/jobs/things", json={"fen": 5_000_000}, headers=headers)
        assert second.status_code == third.status_code == 201
        assert second.json() == third.json() and third.headers["idempotent-replayed"] == "true"
        assert third.headers["location"] == second.headers["location"]
        assert jobs.app.state.calls[("POST", "/things")] == 2  # the 503 and the one success


async def test_an_expired_or_abandoned_record_no_longer_blocks_the_key(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        store = client.gateway.idempotency
        body = b'{"a":1}'
        long_ago = datetime.now(UTC) - timedelta(days=2)
        await store.begin(owner="user:clerk", key="old", fingerprint=fingerprint("POST", b"/things", b"{}"),
                          now=long_ago)
        r = await client.post("/api/v1/jobs/things", content=body,
                              headers={**JOBS, "Idempotency-Key": "old", "content-type": "application/json"})
        assert r.status_code == 201  # the old record had expired (and was for another body)
        assert await store.purge_expired(now=datetime.now(UTC) + timedelta(days=2)) == 1


async def test_the_key_is_passed_on_to_the_service(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        await client.post("/api/v1/jobs/things", json={}, headers={**JOBS, "Idempotency-Key": "abc"})
        assert jobs.app.state.received[-1]["idempotency-key"] == "abc"
