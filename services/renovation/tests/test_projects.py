import asyncio
import json

import aio_pika
import pytest

from shared.events.bus import exchange_name
from shared.testing import AMQP_URL, identity_headers

STAFF = identity_headers("renovation")
AUDITOR = identity_headers("auditor")
NEW = {
    "name": "崇化三区块综合改造", "street_code": "330109001", "area_m2": 30000.5, "budget_fen": 1200000000,
    "planned_start": "2026-03-01", "planned_end": "2026-12-31",
}


async def test_create_read_list_and_transition(make_client, db_backend):
    async with make_client(db_backend) as client:
        r = await client.post("/projects", json=NEW, headers=STAFF)
        assert r.status_code == 201, r.text
        project = r.json()
        assert project["status"] == "planned"
        r = await client.post(f"/projects/{project['id']}/approve", headers=STAFF)
        assert r.status_code == 200
        assert r.json()["status"] == "approved"
        assert r.json()["transitions"][0]["by"] == "renovation-user"
        r = await client.get(f"/projects/{project['id']}", headers=AUDITOR)
        assert r.json()["status"] == "approved"


async def test_illegal_transition_is_409_and_changes_nothing(make_client):
    async with make_client() as client:
        pid = (await client.post("/projects", json=NEW, headers=STAFF)).json()["id"]
        r = await client.post(f"/projects/{pid}/accept", headers=STAFF)
        assert r.status_code == 409
        assert r.headers["content-type"] == "application/problem+json"
        assert (await client.get(f"/projects/{pid}", headers=STAFF)).json()["status"] == "planned"


@pytest.mark.parametrize(("field", "value"), [("area_m2", -1), ("street_code", "330109999"),
                                              ("planned_end", "2026-01-01")])
async def test_bad_input_names_the_field(make_client, field, value):
    async with make_client() as client:
        r = await client.post("/projects", json={**NEW, field: value}, headers=STAFF)
        assert r.status_code == 422
        body = r.json()
        assert any(field in e["field"] or field in e["message"] for e in body["errors"]), body
        listing = (await client.get("/projects", headers=STAFF)).json()
        assert listing["items"] == []


async def test_cursor_pagination_walks_every_row_once(make_client):
    async with make_client() as client:
        for i in range(7):
            await client.post("/projects", json={**NEW, "name": f"p{i}"}, headers=STAFF)
        seen, cursor = [], None
        while True:
            params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/projects", params=params, headers=STAFF)).json()
            seen += [p["name"] for p in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == [f"p{i}" for i in range(7)]
        r = await client.get("/projects", params={"cursor": "garbage"}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"


async def test_roles_are_enforced_by_the_service(make_client):
    async with make_client() as client:
        assert (await client.post("/projects", json=NEW)).status_code == 401
        assert (await client.post("/projects", json=NEW, headers=identity_headers("jobs"))).status_code == 403
        assert (await client.post("/projects", json=NEW, headers=AUDITOR)).status_code == 403
        forged = {"x-minsheng-identity": identity_headers("admin", secret="not-the-secret-0000000000000000")[
            "x-minsheng-identity"]}
        assert (await client.get("/projects", headers=forged)).status_code == 401


async def test_transition_event_reaches_the_broker(make_client, event_prefix):
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(event_prefix, "renovation"), "topic", durable=True)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(exchange, "renovation.#")
        async with make_client() as client:
            pid = (await client.post("/projects", json=NEW, headers=STAFF)).json()["id"]
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
