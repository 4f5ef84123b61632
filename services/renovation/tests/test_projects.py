import asyncio
import json

import aio_pika
import pytest

from services.renovation.tests.factories import (
    AUDITOR,
    CHAODU,
    STAFF,
    advance,
    estate,
    outbox_types,
    project,
)
from shared.events.bus import exchange_name
from shared.testing import AMQP_URL, identity_headers

ACTIONS = ("approve", "start", "complete", "accept")
# The verb API never accepts: acceptance is an inspection (test_acceptance.py).
ALLOWED = {("planned", "approve"), ("approved", "start"), ("in_progress", "complete")}
PATH_TO = {"planned": (), "approved": ("approve",), "in_progress": ("approve", "start"),
           "completed": ("approve", "start", "complete")}


async def test_lifecycle_records_who_and_when_and_real_dates(make_client, db_backend):
    from services.renovation.tests.factories import at, set_clock

    async with make_client(db_backend) as client:
        e1, e2 = await estate(client, floor_area_m2=12000), await estate(client, floor_area_m2=8000.5)
        p = await project(client, [e1["id"], e2["id"]],
                          scope_items=[{"kind": "pipes", "description": "雨污分流", "budget_fen": 300_000_000},
                                       {"kind": "lifts", "description": "加装电梯", "budget_fen": 500_000_000}])
        assert p["status"] == "planned" and p["street_code"] == "330109001"
        assert p["area_m2"] == 20000.5  # the estates' total when not given
        assert [s["kind"] for s in p["scope_items"]] == ["pipes", "lifts"]
        set_clock(client, at("2026-03-02T01:00:00"))
        await advance(client, p["id"], "approve", "start")
        set_clock(client, at("2026-11-20T08:00:00"))
        r = await client.post(f"/projects/{p['id']}/complete", headers=identity_headers("renovation", "kong-ran"))
        assert r.status_code == 200
        done = r.json()
        assert done["status"] == "completed"
        assert done["actual_start"] == "2026-03-02" and done["actual_end"] == "2026-11-20"
        assert [(t["from_status"], t["to_status"]) for t in done["transitions"]] == [
            ("planned", "approved"), ("approved", "in_progress"), ("in_progress", "completed")]
        assert done["transitions"][-1]["by"] == "kong-ran"
        assert done["transitions"][-1]["at"].startswith("2026-11-20T08:00:00")
        got = (await client.get(f"/projects/{p['id']}", headers=AUDITOR)).json()
        assert got["status"] == "completed"
        assert await outbox_types(client) == ["renovation.project.status_changed"] * 3


@pytest.mark.parametrize("current", list(PATH_TO))
async def test_every_refused_transition_is_409_and_changes_nothing(make_client, current):
    async with make_client() as client:
        e = await estate(client)
        refused = [a for a in ACTIONS if (current, a) not in ALLOWED]
        for action in refused:
            p = await project(client, [e["id"]])
            await advance(client, p["id"], *PATH_TO[current])
            before = await outbox_types(client)
            r = await client.post(f"/projects/{p['id']}/{action}", headers=STAFF)
            assert r.status_code == 409, (current, action, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            after = (await client.get(f"/projects/{p['id']}", headers=STAFF)).json()
            assert after["status"] == current and len(after["transitions"]) == len(PATH_TO[current])
            assert await outbox_types(client) == before


async def test_accepted_project_refuses_every_verb(make_client):
    from services.renovation.tests.factories import at, set_clock

    async with make_client() as client:
        set_clock(client, at("2026-06-01T00:00:00"))
        p = await project(client, [(await estate(client))["id"]])
        await advance(client, p["id"], "approve", "start", "complete")
        r = await client.post(f"/projects/{p['id']}/inspections", headers=STAFF,
                              json={"inspected_on": "2026-06-01", "inspector": "区住建局"})
        assert r.status_code == 201 and r.json()["project_status"] == "accepted"
        for action in ACTIONS:
            assert (await client.post(f"/projects/{p['id']}/{action}", headers=STAFF)).status_code == 409


@pytest.mark.parametrize(("field", "value", "status"), [
    ("area_m2", -1, 422), ("budget_fen", -5, 422), ("planned_end", "2026-01-01", 422),
    ("street_code", "330109999", 422), ("street_code", "330109002", 422),
    ("estate_ids", ["00000000-0000-4000-8000-000000000000"], 404), ("estate_ids", [], 422),
    ("programme_id", "00000000-0000-4000-8000-000000000000", 404),
    ("scope_items", [{"kind": "lifts", "description": "加装电梯", "budget_fen": 2_000_000_000}], 422),
    ("scope_items", [{"kind": "spaceship", "description": "x"}], 422),
])
async def test_bad_input_names_the_field_and_changes_nothing(make_client, field, value, status):
    async with make_client() as client:
        e = await estate(client)
        body = {"name": "崇化三区块综合改造", "estate_ids": [e["id"]], "budget_fen": 1_200_000_000,
                "planned_start": "2026-03-01", "planned_end": "2026-12-31", field: value}
        r = await client.post("/projects", json=body, headers=STAFF)
        assert r.status_code == status, r.text
        problem = r.json()
        assert problem["type"].endswith("not-found" if status == 404 else "invalid-input")
        assert any(e["field"].startswith(field) for e in problem["errors"]), problem
        assert (await client.get("/projects", headers=STAFF)).json()["items"] == []


async def test_estates_of_two_streets_make_two_projects(make_client):
    async with make_client() as client:
        a, b = await estate(client), await estate(client, community_code=CHAODU)
        r = await client.post("/projects", headers=STAFF, json={
            "name": "跨街道", "estate_ids": [a["id"], b["id"]], "budget_fen": 1, "planned_start": "2026-01-01",
            "planned_end": "2026-02-01"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "estate_ids"


async def test_plan_edits_until_works_start(make_client):
    async with make_client() as client:
        p = await project(client, [(await estate(client))["id"]], budget_fen=1000)
        r = await client.patch(f"/projects/{p['id']}", json={"planned_end": "2026-01-01"}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "planned_end"
        r = await client.post(f"/projects/{p['id']}/scope-items", headers=STAFF,
                              json={"kind": "greening", "description": "绿化", "budget_fen": 800})
        assert r.status_code == 201
        item = r.json()["scope_items"][0]
        r = await client.patch(f"/projects/{p['id']}", json={"budget_fen": 500}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "scope_items"
        r = await client.patch(f"/projects/{p['id']}", json={"budget_fen": 5000, "name": "新名"}, headers=STAFF)
        assert r.json()["budget_fen"] == 5000 and r.json()["name"] == "新名"
        await advance(client, p["id"], "approve", "start")
        assert (await client.patch(f"/projects/{p['id']}", json={"budget_fen": 9}, headers=STAFF)).status_code == 409
        r = await client.delete(f"/projects/{p['id']}/scope-items/{item['id']}", headers=STAFF)
        assert r.status_code == 409
        assert (await client.get(f"/projects/{p['id']}", headers=STAFF)).json()["budget_fen"] == 5000


async def test_list_filters_and_cursor_walks_every_row_once(make_client):
    async with make_client() as client:
        e = await estate(client)
        other = await estate(client, community_code=CHAODU)
        for i in range(7):
            await project(client, [e["id"]], name=f"p{i}")
        await project(client, [other["id"]], name="宁围", planned_end="2027-06-30")
        seen, cursor = [], None
        while True:
            params = {"limit": 3, "street_code": "330109001", **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/projects", params=params, headers=STAFF)).json()
            seen += [p["name"] for p in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == [f"p{i}" for i in range(7)]
        by_year = (await client.get("/projects", params={"year": 2027}, headers=STAFF)).json()["items"]
        assert [p["name"] for p in by_year] == ["宁围"]
        by_estate = (await client.get("/projects", params={"estate_id": other["id"]}, headers=STAFF)).json()
        assert [p["name"] for p in by_estate["items"]] == ["宁围"]
        r = await client.get("/projects", params={"cursor": "garbage"}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"


async def test_roles_are_enforced_by_the_service(make_client):
    async with make_client() as client:
        e = await estate(client)
        body = {"name": "x", "estate_ids": [e["id"]], "budget_fen": 1, "planned_start": "2026-01-01",
                "planned_end": "2026-02-01"}
        assert (await client.post("/projects", json=body)).status_code == 401
        assert (await client.post("/projects", json=body, headers=identity_headers("jobs"))).status_code == 403
        assert (await client.post("/projects", json=body, headers=AUDITOR)).status_code == 403
        assert (await client.get("/projects", headers=identity_headers("resident"))).status_code == 403
        forged = {"x-minsheng-identity": identity_headers("admin", secret="not-the-secret-0000000000000000")[
            "x-minsheng-identity"]}
        assert (await client.get("/projects", headers=forged)).status_code == 401
        # Staff bound to one street write only there.
        ningwei_staff = identity_headers("renovation", street_code="330109005")
        assert (await client.post("/projects", json=body, headers=ningwei_staff)).status_code == 403


async def test_transition_event_reaches_the_broker(make_client, event_prefix):
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(event_prefix, "renovation"), "topic", durable=True)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(exchange, "renovation.#")
        async with make_client() as client:
            pid = (await project(client, [(await estate(client))["id"]]))["id"]
            await client.post(f"/projects/{pid}/approve", headers=STAFF)
            message = await _next_message(probe)
        body = json.loads(message.body)
        assert body["type"] == "renovation.project.status_changed"
        assert body["data"]["project_id"] == pid and body["data"]["to_status"] == "approved"
        assert message.message_id == body["id"]
        assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT


async def _next_message(queue, timeout=10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        message = await queue.get(fail=False)
        if message:
            await message.ack()
            return message
        await asyncio.sleep(0.05)
    raise AssertionError("no message arrived")
