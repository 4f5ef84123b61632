"""Events consumed from other areas: a commissioned space becomes a station, a flagged reading becomes a home
visit; each has its effect once even when delivered twice, directly and through the real broker. A completed
visit leaves for chronic care through the outbox."""

import asyncio
import json
import uuid
from datetime import date, timedelta

import aio_pika
from sqlalchemy import func, select

from services.community.messaging.handlers import consumer
from services.community.stations.models import Station
from services.community.tests.helpers import (
    AUDITOR,
    HUB,
    NINGWEI,
    STAFF,
    T0,
    ZHENNING,
    fix_time,
    household,
    member,
    outbox_payloads,
    ref_of,
)
from services.community.visits.models import VisitTask
from shared.events.bus import Outcome, WireEvent, exchange_name
from shared.events.contracts.chronic_care import ReadingFlaggedV1
from shared.events.contracts.renovation import SpaceCommissionedV1
from shared.events.outbox import envelope_json
from shared.events.rabbitmq import RabbitMQBus
from shared.testing import AMQP_URL, eventually

ELDER = date(1948, 1, 30)


def flagged(person_ref: str, severity: str = "high", at=T0, **extra):
    return ReadingFlaggedV1(reading_id=uuid.uuid4(), person_ref=person_ref, severity=severity,
                            street_code=NINGWEI, community_code=ZHENNING, flagged_at=at, **extra).envelope()


def commissioned(space_id=None, **extra):
    data = {"space_id": space_id or uuid.uuid4(), "name": "振宁3幢架空层 · 老年食堂", "service_type": "canteen",
            "street_code": NINGWEI, "community_code": ZHENNING, "address": "宁围街道振宁路", "latitude": HUB[0] + 0.002,
            "longitude": HUB[1], "area_m2": 260.0, "commissioned_at": T0, **extra}
    return SpaceCommissionedV1(**data).envelope()


async def count(client, model, *where) -> int:
    async with client.app.state.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def deliver_twice(envelope) -> None:
    body, key = envelope_json(envelope), envelope.routing_key
    assert await consumer.handle(body, key) is Outcome.ACK
    assert await consumer.handle(body, key) is Outcome.ACK  # redelivered: no second effect


async def test_flagged_reading_becomes_one_home_visit(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        home = await household(client)
        elder = await member(client, home["id"], 1, ELDER, lives_alone=True)
        first = flagged(ref_of(1, ELDER))
        await deliver_twice(first)
        visits = (await client.get("/visits", headers=AUDITOR)).json()["items"]
        assert len(visits) == 1
        visit = visits[0]
        assert (visit["resident_id"], visit["household_id"], visit["reason"], visit["priority"]) == (
            elder["id"], home["id"], "reading_flagged", "high")
        assert visit["due_at"] == (T0 + timedelta(hours=24)).isoformat().replace("+00:00", "Z")
        assert visit["requests"][0]["source_event_id"] == str(first.id)

        # A critical reading two hours later joins the open visit and makes it more urgent.
        second = flagged(ref_of(1, ELDER), severity="critical", at=T0 + timedelta(hours=2))
        await deliver_twice(second)
        visit = (await client.get(f"/visits/{visit['id']}", headers=AUDITOR)).json()
        assert (visit["priority"], visit["request_count"]) == ("critical", 2)
        assert visit["due_at"] == (T0 + timedelta(hours=6)).isoformat().replace("+00:00", "Z")
        # Someone not registered here still gets a visit, placed by the event's street and community.
        await deliver_twice(flagged("pr_not_registered_here"))
        assert await count(client, VisitTask) == 2
        stranger = (await client.get("/visits", params={"person_ref": "pr_not_registered_here"},
                                     headers=AUDITOR)).json()["items"][0]
        assert (stranger["resident_id"], stranger["community_code"]) == (None, ZHENNING)

        fix_time(client, T0 + timedelta(hours=3))
        r = await client.post(f"/visits/{visit['id']}/complete", json={"outcome": "visited", "note": "血压复测 150/95"},
                              headers=STAFF)
        assert r.status_code == 200 and r.json()["status"] == "done"
        assert (await client.post(f"/visits/{visit['id']}/complete", json={"outcome": "visited"},
                                  headers=STAFF)).status_code == 409
        done = await outbox_payloads(client, "community.visit.completed")
        assert len(done) == 1
        assert done[0]["person_ref"] == ref_of(1, ELDER) and done[0]["outcome"] == "visited"
        assert done[0]["source_event_id"] == str(second.id)  # the latest reading that asked for it
        assert "150/95" not in json.dumps(done)  # the note stays here
        # A new flag after the visit is a new visit.
        await deliver_twice(flagged(ref_of(1, ELDER), at=T0 + timedelta(days=1)))
        assert await count(client, VisitTask, VisitTask.person_ref == ref_of(1, ELDER)) == 2
        assert await consumer.handle(b"not json", first.routing_key) is Outcome.DEAD


async def test_commissioned_space_becomes_one_station(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        event = commissioned()
        await deliver_twice(event)
        # The same space announced again (a new event, say after a replay) still opens one station.
        await deliver_twice(commissioned(space_id=event.data["space_id"]))
        assert await count(client, Station) == 1
        listed = (await client.get("/stations", headers=AUDITOR)).json()["items"]
        assert (listed[0]["kind"], listed[0]["services"], listed[0]["source_space_id"]) == (
            "canteen", ["canteen"], event.data["space_id"])
        near = (await client.get("/stations/nearby", params={"latitude": HUB[0], "longitude": HUB[1]},
                                 headers=AUDITOR)).json()["items"]
        assert [s["name"] for s in near] == ["振宁3幢架空层 · 老年食堂"]


async def test_staff_visits_and_their_rules(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        elder = await member(client, (await household(client))["id"], 1, ELDER)
        r = await client.post("/visits", json={"resident_id": elder["id"], "priority": "routine"}, headers=STAFF)
        assert r.status_code == 201 and r.json()["due_at"].startswith("2026-03-09")
        visit = r.json()
        again = await client.post("/visits", json={"resident_id": elder["id"], "priority": "high"}, headers=STAFF)
        assert again.json()["id"] == visit["id"] and again.json()["priority"] == "high"
        assert (await client.post("/visits", json={"resident_id": elder["id"]}, headers=AUDITOR)).status_code == 403
        r = await client.post("/visits", json={"resident_id": str(uuid.uuid4())}, headers=STAFF)
        assert r.status_code == 404 and r.json()["errors"][0]["field"] == "resident_id"
        r = await client.post(f"/visits/{visit['id']}/assign", json={"assignee": "grid-wang"}, headers=STAFF)
        assert r.json()["status"] == "assigned"
        r = await client.post(f"/visits/{visit['id']}/cancel", json={}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "note"
        r = await client.post(f"/visits/{visit['id']}/complete", json={"outcome": "away"}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "outcome"
        r = await client.post(f"/visits/{visit['id']}/complete", json={"outcome": "not_home"}, headers=STAFF)
        assert r.json()["status"] == "done"
        assert (await outbox_payloads(client, "community.visit.completed"))[0]["source_event_id"] is None


async def test_both_events_through_the_broker_and_the_visit_back_out(make_client, event_prefix):
    connection = await aio_pika.connect(AMQP_URL)
    async with connection, make_client() as client:
        fix_time(client, T0)
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(event_prefix, "community"), "topic", durable=True)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(exchange, "community.visit.completed.v1")
        await member(client, (await household(client))["id"], 1, ELDER)
        space, reading = commissioned(), flagged(ref_of(1, ELDER))
        bus = RabbitMQBus(AMQP_URL, prefix=event_prefix)
        await bus.start()
        try:
            for envelope in (space, reading):
                wire = WireEvent(id=envelope.id, type=envelope.type, routing_key=envelope.routing_key,
                                 body=envelope_json(envelope))
                await bus.publish([wire])
                await bus.publish([wire])  # a producer's relay may publish twice after a crash
        finally:
            await bus.close()

        async def arrived():
            stations = (await client.get("/stations", headers=AUDITOR)).json()["items"]
            visits = (await client.get("/visits", headers=AUDITOR)).json()["items"]
            return (stations, visits) if stations and visits else None

        _stations, visits = await eventually(arrived)
        consumed = client.app.state.event_metrics.consumed
        for envelope in (space, reading):
            await eventually(lambda e=envelope: consumed.labels("community", e.type, "duplicate")._value.get() == 1)
        assert await count(client, Station) == 1 and await count(client, VisitTask) == 1

        r = await client.post(f"/visits/{visits[0]['id']}/complete", json={"outcome": "visited"}, headers=STAFF)
        assert r.status_code == 200
        message = await _next_message(probe)
        body = json.loads(message.body)
        assert body["data"]["visit_id"] == visits[0]["id"] and body["data"]["source_event_id"] == str(reading.id)


async def _next_message(queue, timeout=10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        message = await queue.get(fail=False)
        if message:
            await message.ack()
            return message
        await asyncio.sleep(0.05)
    raise AssertionError("no message arrived")
