"""Rate limits per IP, per user and per API key: 429 problem+json with Retry-After; Redis shares them."""

import contextlib
import shutil
import subprocess
import tempfile

import pytest

from gateway.tests.support import bearer, serving, stub_service
from shared.testing_servers import free_port, wait_port


async def limited(client, path, headers, n: int):
    return [await client.get(path, headers=headers) for _ in range(n)]


async def test_a_user_over_the_limit_gets_429_with_retry_after(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      rate_limit_user="3/minute") as client:
        responses = await limited(client, "/api/v1/jobs/echo/l", bearer("jobs", subject="a"), 4)
        assert [r.status_code for r in responses] == [200, 200, 200, 429]
        r = responses[-1]
        assert r.headers["content-type"] == "application/problem+json"
        assert 1 <= int(r.headers["retry-after"]) <= 60
        assert "caller" in r.json()["detail"]
        # Another user has a budget of their own.
        assert (await client.get("/api/v1/jobs/echo/l", headers=bearer("jobs", subject="b"))).status_code == 200
        assert jobs.app.state.calls[("GET", "/echo/l")] == 4
        assert 'gateway_rate_limited_total{limit="caller"} 1.0' in (await client.get("/metrics")).text


async def test_one_address_is_limited_whoever_it_claims_to_be(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      rate_limit_ip="2/minute") as client:
        codes = [(await client.get("/api/v1/jobs/echo/i", headers={**bearer("jobs", subject=f"u{i}"),
                                                                    "X-Forwarded-For": f"10.0.0.{i}"})).status_code
                 for i in range(3)]
        assert codes == [200, 200, 429]  # X-Forwarded-For is not trusted unless configured
        r = await client.get("/api/v1/jobs/echo/i")  # refused before authentication is even tried
        assert r.status_code == 429


async def test_a_key_can_carry_its_own_limit(make_gateway):
    async with serving(stub_service("community")) as (svc,), make_gateway(routes={"community": svc.url}) as client:
        created = (await client.post("/api/v1/api-keys", headers=bearer("admin"), json={
            "name": "slow vendor", "scopes": ["community:alerts:vendor:anju"], "rate_limit": "2/minute"})).json()
        codes = [r.status_code for r in await limited(client, "/api/v1/community/echo/k",
                                                      {"X-API-Key": created["key"]}, 3)]
        assert codes == [200, 200, 429]


@pytest.fixture
def redis_url():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="ms-redis-")
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        assert wait_port(port, 10), "private redis-server did not start"
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
        shutil.rmtree(workdir, ignore_errors=True)


async def test_replicas_share_limits_through_redis(make_gateway, redis_url):
    async with serving(stub_service("jobs")) as (jobs,), \
            make_gateway(routes={"jobs": jobs.url}, redis_url=redis_url, rate_limit_user="3/minute") as one, \
            make_gateway(routes={"jobs": jobs.url}, redis_url=redis_url, rate_limit_user="3/minute") as two:
        who = bearer("jobs", subject="shared-user")
        codes = [(await client.get("/api/v1/jobs/echo/r", headers=who)).status_code for client in (one, two, one, two)]
        assert codes == [200, 200, 200, 429]
        assert (await one.get("/readyz")).json()["checks"]["rate_limit_store"] is True


async def test_the_gateways_own_endpoints_share_the_callers_budget(make_gateway):
    async with make_gateway(rate_limit_user="2/minute") as client:
        who = bearer("auditor", subject="screen")
        codes = [(await client.get("/api/v1/auth/me", headers=who)).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
