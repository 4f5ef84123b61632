"""Proxy mechanics: the prefix is stripped, the caller's verified identity replaces anything claimed from
outside, hop-by-hop headers stop at the gateway, and the client gets what the service said."""

import asyncio

import httpx
import pytest

from gateway.tests.support import Server, bearer, serving, stub_service
from shared.auth import IDENTITY_HEADER, Principal, issue_internal_token
from shared.settings import DEV_INTERNAL_TOKEN_SECRET
from shared.testing import eventually


async def test_path_query_and_identity_reach_the_service(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        r = await client.get("/api/v1/jobs/echo/seekers/42?status=open&q=%E5%B7%A5",
                             headers={**bearer("jobs", subject="clerk-1"), "X-Request-ID": "req-123"})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["path"] == "/echo/seekers/42"
        assert body["query"] == "status=open&q=%E5%B7%A5"
        assert body["principal"] == {"subject": "clerk-1", "roles": ["jobs"], "scopes": [], "kind": "user",
                                     "person_ref": None}
        assert body["headers"]["x-request-id"] == "req-123"
        assert r.headers["x-request-id"] == "req-123"
        assert "authorization" not in body["headers"]  # the user's token stays at the gateway


async def test_a_forged_identity_header_from_outside_is_replaced(make_gateway):
    forged = issue_internal_token(Principal("mallory", frozenset({"admin"})), DEV_INTERNAL_TOKEN_SECRET)
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        r = await client.get("/api/v1/jobs/echo/x", headers={**bearer("resident", subject="wang"),
                                                             IDENTITY_HEADER: forged})
        assert r.json()["principal"]["subject"] == "wang"
        assert r.json()["principal"]["roles"] == ["resident"]
        # Without a credential of its own, a forged identity alone gets nowhere.
        r = await client.get("/api/v1/jobs/echo/x", headers={IDENTITY_HEADER: forged})
        assert r.status_code == 401
        assert jobs.app.state.calls[("GET", "/echo/x")] == 1


async def test_hop_by_hop_and_cookie_headers_stop_at_the_gateway(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        r = await client.get("/api/v1/jobs/echo/h", headers={
            **bearer("jobs"), "Connection": "keep-alive, X-Private", "X-Private": "secret", "Keep-Alive": "5",
            "TE": "trailers", "Proxy-Authorization": "Basic abc", "Cookie": "session=1", "X-Kept": "yes"})
        seen = r.json()["headers"]
        for name in ("x-private", "keep-alive", "te", "proxy-authorization", "cookie"):
            assert name not in seen, name
        assert seen["x-kept"] == "yes"
        assert seen["x-forwarded-for"] == "203.0.113.7"
        r = await client.get("/api/v1/jobs/bytes", headers=bearer("jobs"))
        assert r.content == b"\x00\x01binary"
        assert r.headers["x-custom"] == "kept" and "x-secret-hop" not in r.headers


async def test_same_status_and_body_as_the_service_directly(make_gateway):
    async with serving(stub_service("community")) as (svc,), make_gateway(routes={"community": svc.url}) as client:
        auth = bearer("community", subject="worker")
        via = await client.post("/api/v1/community/things", json={"name": "烟感"}, headers=auth)
        identity = {IDENTITY_HEADER: issue_internal_token(Principal("worker", frozenset({"community"})),
                                                          DEV_INTERNAL_TOKEN_SECRET)}
        async with httpx.AsyncClient(base_url=svc.url) as direct:
            straight = await direct.post("/things", json={"name": "烟感"}, headers=identity)
            missing = await direct.get("/nothing-here")
        assert via.status_code == straight.status_code == 201
        assert via.json()["body"] == straight.json()["body"] == {"name": "烟感"}
        assert via.headers["location"] == "/things/1"
        r = await client.get("/api/v1/community/nothing-here", headers=auth)
        assert (r.status_code, r.json()) == (missing.status_code, missing.json())
        assert r.headers["content-type"] == missing.headers["content-type"]


async def test_security_headers_unknown_areas_and_oversized_bodies(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url},
                                                                      max_body_bytes=1000) as client:
        r = await client.get("/api/v1/jobs/echo/x", headers=bearer("jobs"))
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        r = await client.get("/api/v1/nowhere/x", headers=bearer("jobs"))
        assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
        r = await client.post("/api/v1/jobs/things", content=b"x" * 2000, headers=bearer("jobs"))
        assert r.status_code == 413 and r.json()["type"].endswith("/payload-too-large")
        assert jobs.app.state.calls[("POST", "/things")] == 0


async def test_requests_spread_over_the_replicas_of_a_service(make_gateway):
    async with serving(stub_service("jobs"), stub_service("jobs")) as (a, b), \
            make_gateway(routes={"jobs": f"{a.url},{b.url}"}) as client:
        for _ in range(6):
            assert (await client.get("/api/v1/jobs/echo/r", headers=bearer("jobs"))).status_code == 200
        assert a.app.state.calls[("GET", "/echo/r")] == 3
        assert b.app.state.calls[("GET", "/echo/r")] == 3


@pytest.mark.parametrize("accept", ["text/event-stream", "*/*"])
async def test_server_sent_events_pass_through_as_they_come(make_gateway, accept):
    async with serving(stub_service("community")) as (svc,), make_gateway(routes={"community": svc.url}) as client:
        front = await Server(client.app, lifespan="off").start()  # the gateway on a real socket
        try:
            async with httpx.AsyncClient(base_url=front.url, timeout=5) as browser, browser.stream(
                    "GET", "/api/v1/community/events", headers={**bearer("community"), "Accept": accept}) as r:
                assert r.status_code == 200
                assert r.headers["content-type"].startswith("text/event-stream")
                chunks = r.aiter_text()
                first = await asyncio.wait_for(anext(chunks), 2)
                assert first == "data: one\n\n"  # arrived while the service is still holding the stream open
                svc.app.state.hang.set()
                rest = "".join([c async for c in chunks])
                assert rest == "event: update\ndata: two\n\n"
        finally:
            await front.stop()


async def test_a_client_leaving_a_stream_releases_the_services_stream(make_gateway):
    async with serving(stub_service("community")) as (svc,), make_gateway(routes={"community": svc.url}) as client:
        front = await Server(client.app, lifespan="off").start()
        try:
            async with httpx.AsyncClient(base_url=front.url, timeout=5) as browser, browser.stream(
                    "GET", "/api/v1/community/events", headers=bearer("community")) as r:
                assert await anext(r.aiter_text()) == "data: one\n\n"
            # The browser went away while the service was still streaming: the gateway hangs up on it too.
            await eventually(lambda: svc.app.state.streams_ended == 1, timeout=5)
        finally:
            await front.stop()


async def test_percent_encoding_survives_and_the_bare_area_maps_to_the_root(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        r = await client.get("/api/v1/job%73/echo/a%2Fb%20c", headers=bearer("jobs"))
        assert r.status_code == 200 and r.json()["path"] == "/echo/a/b c"
        r = await client.get("/api/v1/jobs", headers=bearer("jobs"))
        assert r.status_code == 404 and r.json()["detail"] == "Not Found"  # the service's own answer for "/"


async def test_a_bug_on_the_proxy_path_is_a_500_problem_not_a_dropped_connection(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        async def broken(*_):
            raise RuntimeError("bug")

        client.gateway.authenticator.authenticate = broken
        r = await client.get("/api/v1/jobs/echo/x", headers=bearer("jobs"))
        assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"] == "An unexpected error occurred."
