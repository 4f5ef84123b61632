"""Events consumed from community: an emergency-button alert flags the patient once; a completed home visit
lands on the patient's timeline once; both also end to end through the real broker."""

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from services.chronic_care.messaging.handlers import consumer
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.models import PatientFlag
from services.chronic_care.tests.helpers import DOCTOR, T0, bp, fix_time, patient, ref_of, station
from services.chronic_care.timeline.models import TimelineEntry
from shared.events.bus import Outcome, WireEvent
from shared.events.contracts.community import AlertRaisedV1, VisitCompletedV1
from shared.events.outbox import envelope_json
from shared.events.rabbitmq import RabbitMQBus
from shared.testing import AMQP_URL, eventually

RAISED = T0 + timedelta(days=5)


def _alert(person_refs, device_type="emergency_button", alert_id=None):
    return AlertRaisedV1(
        alert_id=alert_id or uuid.uuid4(), work_order_id=uuid.uuid4(), device_id=uuid.uuid4(),
        device_type=device_type, severity="critical", household_id=uuid.uuid4(), person_refs=person_refs,
        street_code="330109011", community_code="330109011001", raised_at=RAISED,
    ).envelope()


async def _count(client, model, *where) -> int:
    async with client.app.state.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def _open_follow_up(client, patient_id):
    r = await client.get("/follow-ups", params={"patient_id": patient_id, "status": "scheduled"}, headers=DOCTOR)
    return r.json()["items"]


async def test_alert_of_a_patient_flags_them_once(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], seq=1)
        envelope = _alert([ref_of(1), "pr_someone_else_in_the_household"])
        body, key = envelope_json(envelope), envelope.routing_key
        assert await consumer.handle(body, key) is Outcome.ACK
        assert await consumer.handle(body, key) is Outcome.ACK  # redelivered: no second effect

        record = (await client.get(f"/patients/{p['id']}", headers=DOCTOR)).json()
        assert record["flagged_since"] == RAISED.isoformat().replace("+00:00", "Z")
        open_ = await _open_follow_up(client, p["id"])
        assert len(open_) == 1 and open_[0]["reason"] == "emergency_alert"
        assert open_[0]["due_at"] == record["flagged_since"]  # brought forward from a quarter away
        assert await _count(client, PatientFlag) == 1
        assert await _count(client, TimelineEntry, TimelineEntry.kind == "emergency_alert") == 1
        # The same alert republished as a new event still flags once; smoke alerts and strangers change nothing.
        again = _alert([ref_of(1)], alert_id=envelope.data["alert_id"])
        assert await consumer.handle(envelope_json(again), key) is Outcome.ACK
        smoke = _alert([ref_of(1)], device_type="smoke")
        stranger = _alert(["pr_not_a_patient_here"])
        for other in (smoke, stranger):
            assert await consumer.handle(envelope_json(other), key) is Outcome.ACK
        assert await _count(client, PatientFlag) == 1
        flagged = (await client.get("/patients", params={"flagged": True}, headers=DOCTOR)).json()["items"]
        assert [x["id"] for x in flagged] == [p["id"]]

        # Doing the follow-up answers the flag.
        fix_time(client, RAISED + timedelta(hours=3))
        r = await client.post(f"/follow-ups/{open_[0]['id']}/complete", json={"method": "home"}, headers=DOCTOR)
        assert r.status_code == 200
        assert (await client.get(f"/patients/{p['id']}", headers=DOCTOR)).json()["flagged_since"] is None


async def test_completed_home_visit_lands_on_the_timeline_once(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], seq=1)
        reading = (await bp(client, p["id"], 168, 96)).json()
        async with client.app.state.session_factory() as session:
            flag_event_id = (await session.get(Reading, uuid.UUID(reading["id"]))).flag_event_id
        visit = VisitCompletedV1(visit_id=uuid.uuid4(), person_ref=p["person_ref"], outcome="visited",
                                 source_event_id=flag_event_id, completed_at=T0 + timedelta(hours=5)).envelope()
        for _ in range(2):
            assert await consumer.handle(envelope_json(visit), visit.routing_key) is Outcome.ACK
        entries = (await client.get(f"/patients/{p['id']}/timeline", params={"kind": "community_visit"},
                                    headers=DOCTOR)).json()["items"]
        assert len(entries) == 1 and entries[0]["source"] == "community"
        assert "after the high reading" in entries[0]["summary"]
        # Unparseable or unknown messages can never succeed: dead-lettered, not retried.
        assert await consumer.handle(b"not json", visit.routing_key) is Outcome.DEAD


async def test_alert_through_the_broker_flags_the_patient(make_client, event_prefix):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], seq=1)
        envelope = _alert([ref_of(1)])
        bus = RabbitMQBus(AMQP_URL, prefix=event_prefix)
        await bus.start()
        try:
            wire = WireEvent(id=envelope.id, type=envelope.type, routing_key=envelope.routing_key,
                             body=envelope_json(envelope))
            await bus.publish([wire])
            await bus.publish([wire])  # the producer's relay may publish twice after a crash
        finally:
            await bus.close()

        async def flagged():
            items = (await client.get("/patients", params={"flagged": True}, headers=DOCTOR)).json()["items"]
            return [x["id"] for x in items]

        assert await eventually(flagged) == [p["id"]]
        consumed = client.app.state.event_metrics.consumed
        # Both deliveries were taken; the second was recognised as a duplicate and had no effect.
        await eventually(lambda: consumed.labels("chronic_care", envelope.type, "duplicate")._value.get() == 1)
        assert await _count(client, PatientFlag) == 1
        assert await _count(client, TimelineEntry, TimelineEntry.kind == "emergency_alert") == 1
