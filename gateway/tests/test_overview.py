"""The one-screen overview composes every area's figures concurrently; a stopped or hung service is marked
unavailable while the others' figures still come back."""

import time

from gateway.tests.support import Server, bearer, serving, stub_service

AREAS = ("renovation", "jobs", "community", "chronic-care")


def stubs():
    return [stub_service(area, figures={f"{area}_count": i + 1}) for i, area in enumerate(AREAS)]


async def test_every_area_comes_back_with_its_figures(make_gateway):
    async with serving(*stubs()) as servers, make_gateway(
            routes={a: s.url for a, s in zip(AREAS, servers, strict=True)}) as client:
        r = await client.get("/api/v1/dashboard/overview?year=2026&street_code=330109005", headers=bearer("auditor"))
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["complete"] is True and body["unavailable"] == []
        assert body["year"] == 2026 and body["street_code"] == "330109005"
        assert body["areas"]["chronic-care"]["figures"] == {"chronic-care_count": 4}
        assert body["areas"]["jobs"]["status"] == "ok" and body["areas"]["jobs"]["year"] == "2026"
        for server in servers:
            assert server.app.state.calls[("GET", "/stats/overview")] == 1


async def test_a_stopped_service_is_marked_unavailable_and_the_rest_answer(make_gateway):
    async with serving(*stubs()) as servers, make_gateway(
            routes={a: s.url for a, s in zip(AREAS, servers, strict=True)}) as client:
        await servers[1].stop()  # jobs goes down
        started = time.perf_counter()
        r = await client.get("/api/v1/dashboard/overview", headers=bearer("admin"))
        assert time.perf_counter() - started < 1.0
        body = r.json()
        assert r.status_code == 200 and body["complete"] is False
        assert body["unavailable"] == ["jobs"]
        assert body["areas"]["jobs"]["status"] == "unavailable"
        assert body["areas"]["renovation"]["figures"] == {"renovation_count": 1}
        assert body["areas"]["community"]["status"] == body["areas"]["chronic-care"]["status"] == "ok"
        # The service comes back on the same port: so do its figures.
        servers[1] = await Server(servers[1].app, servers[1].port).start()
        body = (await client.get("/api/v1/dashboard/overview", headers=bearer("admin"))).json()
        assert body["complete"] is True


async def test_a_hung_service_costs_the_overview_only_its_deadline(make_gateway):
    apps = stubs()
    async with serving(*apps) as servers, make_gateway(
            routes={a: s.url for a, s in zip(AREAS, servers, strict=True)}, overview_deadline=0.4) as client:
        apps[2].state.hang_stats = True  # community's statistics hang
        started = time.perf_counter()
        body = (await client.get("/api/v1/dashboard/overview", headers=bearer("auditor"))).json()
        assert time.perf_counter() - started < 1.0
        assert body["unavailable"] == ["community"]
        assert body["areas"]["renovation"]["status"] == "ok"
        apps[2].state.hang.set()


async def test_who_may_read_the_overview(make_gateway):
    async with serving(*stubs()) as servers, make_gateway(
            routes={a: s.url for a, s in zip(AREAS, servers, strict=True)}) as client:
        assert (await client.get("/api/v1/dashboard/overview")).status_code == 401
        assert (await client.get("/api/v1/dashboard/overview", headers=bearer("resident"))).status_code == 403
        r = await client.get("/api/v1/dashboard/overview?street_code=999999999", headers=bearer("auditor"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "street_code"
        r = await client.get("/api/v1/dashboard/overview?year=abc", headers=bearer("auditor"))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "year"
        assert sum(s.app.state.calls[("GET", "/stats/overview")] for s in servers) == 0
        # Staff of one area read the overview; each service decides what it shows them.
        r = await client.get("/api/v1/dashboard/overview", headers=bearer("doctor"))
        assert r.status_code == 200
