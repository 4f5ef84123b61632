"""Readings: grading, flags and their one event, nonsense refused, configurable thresholds, referral proposal."""

import asyncio
import json

import aio_pika
from sqlalchemy import func, select

from services.chronic_care.db import OutboxMessage
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.tests.helpers import (
    ADMIN,
    DEVICE_HUB,
    DOCTOR,
    T0,
    as_patient,
    bp,
    fix_time,
    glucose,
    patient,
    station,
)
from shared.events.bus import exchange_name
from shared.testing import AMQP_URL


async def _count(client, model, *where) -> int:
    async with client.app.state.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def _next(queue, timeout=10.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        message = await queue.get(fail=False)
        if message:
            await message.ack()
            return message
        await asyncio.sleep(0.05)
    raise AssertionError("no message arrived")


async def test_flagged_reading_emits_exactly_one_event(make_client, event_prefix):
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(event_prefix, "chronic_care"), "topic", durable=True)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(exchange, "chronic_care.reading.#")
        async with make_client() as client:
            fix_time(client, T0)
            s = await station(client)
            p = await patient(client, s["id"])
            assert (await bp(client, p["id"], 135, 85)).json()["flagged"] is False
            r = await bp(client, p["id"], 165, 95)
            reading = r.json()
            assert r.status_code == 201 and reading["grade"] == "high" and reading["flagged"] is True
            assert reading["referral_id"] is None  # high, not critical: no referral proposed
            message = await _next(probe)
            body = json.loads(message.body)
            assert body["type"] == "chronic_care.reading.flagged" and message.message_id == body["id"]
            assert body["data"]["reading_id"] == reading["id"] and body["data"]["severity"] == "high"
            assert body["data"]["person_ref"] == p["person_ref"] and body["data"]["station_code"] == "meilin"
            # No values, no name in the event: only references.
            assert "165" not in message.body.decode() and p["name"] not in message.body.decode()
            assert await _count(client, OutboxMessage, OutboxMessage.event_type == "chronic_care.reading.flagged") == 1
            await asyncio.sleep(0.3)
            assert await probe.get(fail=False) is None


async def test_critical_reading_proposes_a_referral_that_a_doctor_confirms(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], conditions=("I10", "E11"))
        r = await glucose(client, p["id"], 18.2, "random")
        reading = r.json()
        assert reading["grade"] == "critical" and reading["referral_id"]
        referral = (await client.get(f"/referrals/{reading['referral_id']}", headers=DOCTOR)).json()
        assert referral["status"] == "proposed" and referral["urgency"] == "urgent"
        assert referral["reading_id"] == reading["id"]
        async with client.app.state.session_factory() as session:
            flagged = (await session.scalars(select(OutboxMessage))).all()
        flagged_events = [json.loads(m.payload) for m in flagged]
        assert [e["data"]["proposes_referral"] for e in flagged_events] == [True]
        # Confirming needs the receiving hospital, then publishes referral.requested.
        r = await client.post(f"/referrals/{referral['id']}/confirm", headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "hospital"
        r = await client.post(f"/referrals/{referral['id']}/confirm", json={"hospital": "浙江萧山医院"},
                              headers=DOCTOR)
        assert r.status_code == 200 and r.json()["status"] == "requested"
        assert await _count(client, OutboxMessage,
                            OutboxMessage.event_type == "chronic_care.referral.requested") == 1


NONSENSE = [
    ({"measure": "blood_pressure", "systolic": 80, "diastolic": 95}, "diastolic"),
    ({"measure": "blood_pressure", "systolic": 120, "diastolic": 120}, "diastolic"),
    ({"measure": "blood_pressure", "systolic": 120}, "diastolic"),
    ({"measure": "blood_pressure", "systolic": 500, "diastolic": 80}, "systolic"),
    ({"measure": "glucose", "glucose_mmol": -3.2, "glucose_context": "fasting"}, "glucose_mmol"),
    ({"measure": "glucose", "glucose_mmol": 0, "glucose_context": "fasting"}, "glucose_mmol"),
    ({"measure": "glucose", "glucose_mmol": 6.1}, "glucose_context"),
    ({"measure": "glucose", "glucose_mmol": 6.1, "glucose_context": "fasting",
      "measured_at": "2026-03-03T08:00:00Z"}, "measured_at"),
    ({"measure": "weight", "systolic": 120, "diastolic": 80}, "measure"),
]


async def test_nonsense_reading_is_422_and_stores_nothing(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        for body, field in NONSENSE:
            r = await client.post("/readings", json={"patient_id": p["id"], **body}, headers=DOCTOR)
            assert r.status_code == 422, (body, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            assert field in [e["field"] for e in r.json()["errors"]], (body, r.json())
        assert await _count(client, Reading) == 0
        assert await _count(client, OutboxMessage) == 0
        assert (await client.get(f"/patients/{p['id']}", headers=DOCTOR)).json()["last_reading_at"] is None


async def test_readings_from_the_patients_device_and_an_integration(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        r = await bp(client, p["id"], 128, 82, headers=as_patient(1))
        assert r.status_code == 201 and r.json()["source"] == "device"
        key = {"Idempotency-Key": "hub-0001"}
        first = await bp(client, p["id"], 142, 88, headers={**DEVICE_HUB, **key})
        again = await bp(client, p["id"], 142, 88, headers={**DEVICE_HUB, **key})
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"] and first.json()["source"] == "integration"
        assert await _count(client, Reading) == 2
        # The hub posts; it does not read patients' records back.
        assert (await client.get("/readings", headers=DEVICE_HUB)).status_code == 403
        # Another patient's app cannot post for this patient.
        assert (await bp(client, p["id"], 120, 80, headers=as_patient(9))).status_code == 403
        patient_view = (await client.get(f"/patients/{p['id']}", headers=as_patient(1))).json()
        assert patient_view["last_grade"] == "uncontrolled"


async def test_thresholds_are_configurable_per_condition(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        hypertensive = await patient(client, s["id"], seq=1, conditions=("I10",))
        copd = await patient(client, s["id"], seq=2, conditions=("J44",))
        listing = (await client.get("/thresholds", headers=DOCTOR)).json()
        assert {(t["condition"], t["measure"]) for t in listing} >= {("I10", "blood_pressure"), ("E11", "glucose")}
        values = {"uncontrolled_systolic": 140, "uncontrolled_diastolic": 90, "high_systolic": 150,
                  "high_diastolic": 95, "critical_systolic": 170, "critical_diastolic": 105, "low_systolic": 90}
        assert (await client.put("/thresholds/I10/blood_pressure", json=values, headers=DOCTOR)).status_code == 403
        r = await client.put("/thresholds/I10/blood_pressure", json={**values, "high_systolic": 200}, headers=ADMIN)
        assert r.status_code == 422 and r.json()["errors"]
        r = await client.put("/thresholds/I10/blood_pressure", json=values, headers=ADMIN)
        assert r.status_code == 200 and r.json()["source"] == "configured"
        # The hypertensive patient is graded by the I10 set; the COPD patient by the default set.
        assert (await bp(client, hypertensive["id"], 172, 80)).json()["grade"] == "critical"
        assert (await bp(client, copd["id"], 172, 80)).json()["grade"] == "high"
        assert (await client.delete("/thresholds/I10/blood_pressure", headers=ADMIN)).status_code == 204
        assert (await bp(client, hypertensive["id"], 172, 80)).json()["grade"] == "high"
        r = await client.put("/thresholds/hypertension/blood_pressure", json=values, headers=ADMIN)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "condition"


async def test_an_old_reading_synced_late_is_flagged_but_raises_no_alert(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        r = await bp(client, p["id"], 190, 100, measured_at="2026-02-20T08:00:00Z")  # ten days old
        reading = r.json()
        assert r.status_code == 201 and reading["grade"] == "critical" and reading["flagged"] is True
        assert reading["referral_id"] is None
        assert await _count(client, OutboxMessage) == 0
        r = await bp(client, p["id"], 190, 100, measured_at="2026-02-28T09:00:00Z")  # within 72 hours
        assert r.json()["referral_id"] is not None and await _count(client, OutboxMessage) == 1
