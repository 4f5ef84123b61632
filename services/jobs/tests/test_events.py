"""Events leave the service through the real broker, carrying references only."""

import json

from services.jobs.messaging.handlers import consumer
from services.jobs.tests.helpers import NINGWEI, OFFICER, T0, at, id_number, seeker
from shared.events.bus import Outcome
from shared.events.contracts.community import VisitCompletedV1
from shared.events.outbox import envelope_json
from shared.events.rabbitmq import RabbitMQBus
from shared.events.topology import SUBSCRIPTIONS
from shared.testing import AMQP_URL, eventually


async def test_placement_and_clearance_reach_other_services_through_rabbitmq(make_client, event_prefix):
    probe = RabbitMQBus(AMQP_URL, prefix=event_prefix, connection_name="jobs-test-probe")
    await probe.start()
    received: list[dict] = []

    async def handle(body: bytes, routing_key: str) -> Outcome:
        received.append({"rk": routing_key, **json.loads(body)})
        return Outcome.ACK

    await probe.subscribe("probe", ["jobs.seeker.registered.v1", "jobs.seeker.placed.v1",
                                    "jobs.household.flagged.v1", "jobs.household.cleared.v1"], handle)
    try:
        async with make_client() as client:
            at(client, T0)
            h = await client.post("/households", json={"street_code": NINGWEI, "members": [
                {"id_number": id_number(71)}]}, headers=OFFICER)
            s = await seeker(client, seq=71, household_id=h.json()["id"])
            await client.post("/placements", json={"seeker_id": s["id"], "placement_type": "self_employed"},
                              headers=OFFICER)
            await eventually(lambda: len(received) == 4, timeout=15)
    finally:
        await probe.close()
    assert sorted(e["rk"] for e in received) == sorted([
        "jobs.household.flagged.v1", "jobs.seeker.registered.v1", "jobs.household.cleared.v1",
        "jobs.seeker.placed.v1"])
    placed = next(e for e in received if e["type"] == "jobs.seeker.placed")
    assert placed["data"]["person_ref"] == s["person_ref"] and placed["data"]["household_id"] == h.json()["id"]
    wire = json.dumps(received, ensure_ascii=False)
    assert id_number(71) not in wire and s["name"] not in wire and "13812345678" not in wire


async def test_jobs_consumes_nothing_and_dead_letters_what_it_does_not_know(make_client):
    # The platform's topology routes no event to jobs: placements, benefit stops and household clearance all
    # happen inside this service. A stray delivery is dead-lettered, never half-applied.
    assert SUBSCRIPTIONS["jobs"] == () and consumer.routing_keys == []
    async with make_client():
        body = envelope_json(VisitCompletedV1(visit_id="00000000-0000-0000-0000-000000000001", person_ref="pr_x",
                                              outcome="visited", completed_at=T0).envelope())
        assert await consumer.handle(body, "community.visit.completed.v1") is Outcome.DEAD
        assert await consumer.handle(body, "community.visit.completed.v1") is Outcome.DEAD
