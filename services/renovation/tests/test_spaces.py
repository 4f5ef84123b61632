import json

import aio_pika
import pytest

from services.renovation.tests.factories import AUDITOR, STAFF, ZHENNING, at, estate, set_clock
from services.renovation.tests.test_projects import _next_message
from shared.events.bus import exchange_name
from shared.testing import AMQP_URL

STILTS = {"name": "振宁3幢架空层", "kind": "stilt_floor", "community_code": ZHENNING, "address": "宁围街道振宁路",
          "latitude": 30.2051, "longitude": 120.2832, "area_m2": 260.0}


async def test_identify_allocate_commission_tells_the_community_service(make_client, event_prefix, db_backend):
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(event_prefix, "renovation"), "topic", durable=True)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(exchange, "renovation.space.commissioned.v1")
        async with make_client(db_backend) as client:
            e = await estate(client, community_code=ZHENNING)
            r = await client.post("/spaces", json={**STILTS, "estate_id": e["id"]}, headers=STAFF)
            assert r.status_code == 201, r.text
            space = r.json()
            assert space["status"] == "identified" and space["street_code"] == "330109005"
            r = await client.post(f"/spaces/{space['id']}/commission", headers=STAFF)
            assert r.status_code == 409  # not allocated to a service yet
            await client.post(f"/spaces/{space['id']}/allocate", json={"service_type": "childcare"}, headers=STAFF)
            r = await client.post(f"/spaces/{space['id']}/allocate", json={"service_type": "elderly_care"},
                                  headers=STAFF)
            assert r.json()["service_type"] == "elderly_care"  # re-allocated before commissioning
            set_clock(client, at("2026-09-01T01:00:00"))
            r = await client.post(f"/spaces/{space['id']}/commission", headers=STAFF)
            assert r.status_code == 200 and r.json()["status"] == "commissioned"
            assert (await client.post(f"/spaces/{space['id']}/commission", headers=STAFF)).status_code == 409
            r = await client.post(f"/spaces/{space['id']}/allocate", json={"service_type": "canteen"},
                                  headers=STAFF)
            assert r.status_code == 409
            message = await _next_message(probe)
        data = json.loads(message.body)["data"]
        assert data["space_id"] == space["id"] and data["service_type"] == "elderly_care"
        assert (data["latitude"], data["longitude"]) == (30.2051, 120.2832)
        assert data["community_code"] == ZHENNING and data["area_m2"] == 260.0
        assert data["commissioned_at"].startswith("2026-09-01T01:00:00")


@pytest.mark.parametrize(("field", "value"), [
    ("latitude", 31.23), ("longitude", 121.47), ("area_m2", 0), ("kind", "basement"),
    ("community_code", "330109005"), ("estate_id", "00000000-0000-4000-8000-000000000000"),
])
async def test_bad_space_names_the_field(make_client, field, value):
    async with make_client() as client:
        r = await client.post("/spaces", json={**STILTS, field: value}, headers=STAFF)
        assert r.status_code in (404, 422), r.text
        assert r.json()["errors"][0]["field"] == field
        assert (await client.get("/spaces", headers=STAFF)).json()["items"] == []


async def test_inventory_filters_and_estate_must_match_community(make_client):
    async with make_client() as client:
        elsewhere = await estate(client)  # 崇化社区
        r = await client.post("/spaces", json={**STILTS, "estate_id": elsewhere["id"]}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "estate_id"
        await client.post("/spaces", json={**STILTS, "service_type": "canteen"}, headers=STAFF)
        await client.post("/spaces", json={**STILTS, "name": "国有闲置用房", "kind": "state_asset"}, headers=STAFF)
        listed = (await client.get("/spaces", params={"status": "allocated"}, headers=AUDITOR)).json()["items"]
        assert [s["service_type"] for s in listed] == ["canteen"]
        listed = (await client.get("/spaces", params={"kind": "state_asset"}, headers=AUDITOR)).json()["items"]
        assert [s["name"] for s in listed] == ["国有闲置用房"]
