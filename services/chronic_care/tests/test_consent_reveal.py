"""Issue 12: health data is processed only with consent in force (a guardian's for a child under 14), and the
masked ID number and phone are revealed only by an explicit, audited action."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from services.chronic_care.messaging.handlers import consumer
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.models import PatientFlag
from services.chronic_care.tests.helpers import (
    ADMIN,
    AUDITOR,
    DEVICE_HUB,
    DOCTOR,
    OTHER_DOCTOR,
    T0,
    as_patient,
    bp,
    drug,
    fix_time,
    id_number,
    patient,
    ref_of,
    station,
)
from shared.events.bus import Outcome
from shared.events.contracts.community import AlertRaisedV1
from shared.events.outbox import envelope_json

CHILD_BORN = date(2018, 4, 1)  # under 14 at T0


async def count(client, model, *where) -> int:
    async with client.app.state.session_factory() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where))


async def consents(client, ref: str) -> list[dict]:
    r = await client.get("/consents", params={"person_ref": ref}, headers=DOCTOR)
    assert r.status_code == 200, r.text
    return r.json()


async def audit(client, ref: str, action: str) -> list[dict]:
    r = await client.get("/audit", params={"person_ref": ref, "action": action}, headers=AUDITOR)
    return r.json()["items"]


def body_for(station_id: str, seq: int, born: date = date(1950, 5, 1), **extra) -> dict:
    return {"id_number": id_number(seq, born), "name": f"病人{seq}", "station_id": station_id,
            "conditions": [{"code": "I10"}], **extra}


def problem_of(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


async def test_registration_needs_the_signed_consent_and_records_it_with_the_patient(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        refused = problem_of(await client.post("/patients", json=body_for(s["id"], 1), headers=DOCTOR), 422)
        assert [e["field"] for e in refused["errors"]] == ["health_data_consent"]
        assert (await client.get("/patients", headers=DOCTOR)).json()["items"] == []
        assert await consents(client, ref_of(1)) == []

        r = await client.post("/patients", json=body_for(s["id"], 1, health_data_consent=True), headers=DOCTOR)
        assert r.status_code == 201, r.text
        [granted] = await consents(client, ref_of(1))
        assert (granted["purpose"], granted["granted_by"], granted["withdrawn_at"]) == ("health_data", "dr-li", None)
        assert granted["guardian_person_ref"] is None
        assert [e["reason"] for e in await audit(client, ref_of(1), "consent")] == [
            "grant health_data (signed form, at registration)"]


async def test_consent_recorded_first_needs_no_confirmation_at_registration(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        r = await client.post("/consents", json={"person_ref": ref_of(2), "purpose": "health_data"}, headers=DOCTOR)
        assert r.status_code == 201, r.text
        assert (await client.post("/patients", json=body_for(s["id"], 2), headers=DOCTOR)).status_code == 201
        assert len(await consents(client, ref_of(2))) == 1  # not recorded twice


async def test_a_child_under_14_is_registered_with_the_guardians_consent(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        child = body_for(s["id"], 3, CHILD_BORN, health_data_consent=True)
        refused = problem_of(await client.post("/patients", json=child, headers=DOCTOR), 422)
        assert [e["field"] for e in refused["errors"]] == ["guardian_id_number"]
        sibling = id_number(4, date(2016, 1, 1))
        r = await client.post("/patients", json={**child, "guardian_id_number": sibling}, headers=DOCTOR)
        assert [e["field"] for e in problem_of(r, 422)["errors"]] == ["guardian_id_number"]  # a child cannot sign
        mother = id_number(5, date(1988, 3, 3))
        r = await client.post("/patients", json={**child, "guardian_id_number": mother}, headers=DOCTOR)
        assert r.status_code == 201, r.text
        [granted] = await consents(client, ref_of(3, CHILD_BORN))
        assert granted["guardian_person_ref"] == ref_of(5, date(1988, 3, 3))


async def test_after_withdrawal_no_new_health_data_is_stored_and_the_record_stays_readable(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        d = await drug(client, "amlodipine")
        p = await patient(client, s["id"], seq=6)
        assert (await bp(client, p["id"], 150, 95)).status_code == 201
        lab = (await client.post("/lab-tests", json={"patient_id": p["id"], "test_code": "hba1c"},
                                 headers=DOCTOR)).json()
        [granted] = await consents(client, p["person_ref"])
        # The patient withdraws it themself (staff could record it for them too).
        r = await client.post(f"/consents/{granted['id']}/withdraw", headers=as_patient(6))
        assert r.status_code == 200 and r.json()["withdrawn_by"] == "resident-6"

        key = {"Idempotency-Key": "hub-6-1"}
        for who in (DOCTOR, as_patient(6), {**DEVICE_HUB, **key}):  # staff, the patient's device, an integration
            problem = problem_of(await bp(client, p["id"], 160, 100, headers=who), 409)
            assert "withdrawn" in problem["detail"] and problem["errors"][0]["field"] == "patient_id"
        assert await count(client, Reading) == 1  # nothing stored, not even for a moment
        refusals = [
            await client.post("/refills", json={"patient_id": p["id"], "drug_id": d["id"], "quantity": 2},
                              headers=as_patient(6)),
            await client.post("/lab-tests", json={"patient_id": p["id"], "test_code": "lipids"}, headers=DOCTOR),
            await client.post(f"/lab-tests/{lab['id']}/sample", json={}, headers=DOCTOR),
            await client.post("/referrals", json={"patient_id": p["id"], "hospital": "浙江萧山医院",
                                                  "reason": "血压控制不佳"}, headers=DOCTOR),
            await client.post("/nursing-plans", json={"patient_id": p["id"], "goal": "康复", "visits_per_month": 2,
                                                      "starts_on": "2026-03-02", "ends_on": "2026-06-01"},
                              headers=DOCTOR),
            await client.patch(f"/patients/{p['id']}", json={"conditions": [{"code": "E11"}]}, headers=DOCTOR),
        ]
        follow_up = (await client.get("/follow-ups", params={"patient_id": p["id"], "status": "scheduled"},
                                      headers=DOCTOR)).json()["items"][0]
        refusals.append(await client.post(f"/follow-ups/{follow_up['id']}/complete", json={"method": "clinic"},
                                          headers=DOCTOR))
        for r in refusals:
            assert problem_of(r, 409)["errors"][0]["field"] == "patient_id", r.request.url

        # What was recorded stays readable by the patient and the care staff; closing steps still work.
        assert (await client.get(f"/patients/{p['id']}", headers=DOCTOR)).status_code == 200
        readings = (await client.get("/readings", params={"patient_id": p["id"]}, headers=as_patient(6))).json()
        assert len(readings["items"]) == 1
        kinds = {e["kind"] for e in (await client.get(f"/patients/{p['id']}/timeline", headers=DOCTOR)).json()["items"]}
        assert {"registered", "reading", "lab_ordered"} <= kinds
        assert (await client.post(f"/lab-tests/{lab['id']}/cancel", json={}, headers=DOCTOR)).status_code == 200
        r = await client.post(f"/follow-ups/{follow_up['id']}/calls", json={"outcome": "removed",
                                                                           "removed_reason": "refused"},
                              headers=DOCTOR)
        assert r.status_code == 200, r.text

        # Consent given again: readings are accepted again.
        assert (await client.post("/consents", json={"person_ref": p["person_ref"], "purpose": "health_data"},
                                  headers=DOCTOR)).status_code == 201
        assert (await bp(client, p["id"], 150, 95)).status_code == 201


async def test_news_from_community_about_a_person_who_withdrew_is_not_added(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], seq=7)
        [granted] = await consents(client, p["person_ref"])
        await client.post(f"/consents/{granted['id']}/withdraw", headers=DOCTOR)
        envelope = AlertRaisedV1(
            alert_id=uuid.uuid4(), work_order_id=uuid.uuid4(), device_id=uuid.uuid4(),
            device_type="emergency_button", severity="critical", household_id=uuid.uuid4(),
            person_refs=[p["person_ref"]], street_code="330109011", community_code="330109011001",
            raised_at=T0 + timedelta(days=1)).envelope()
        assert await consumer.handle(envelope_json(envelope), envelope.routing_key) is Outcome.ACK
        assert await count(client, PatientFlag) == 0


async def test_lists_and_records_mask_id_number_and_phone_for_everyone(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], seq=8)
        assert p["phone"] == "138****0000" and "*" in p["id_number"]  # the registration answer too
        for who in (DOCTOR, as_patient(8)):
            record = (await client.get(f"/patients/{p['id']}", headers=who)).json()
            rows = (await client.get("/patients", headers=who)).json()["items"]
            for shown in (record, *rows):
                assert shown["id_number"] != id_number(8) and shown["phone"] == "138****0000"
        assert await audit(client, p["person_ref"], "reveal") == []


async def test_care_staff_reveal_one_field_with_a_reason_audited_once(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], seq=9)
        r = await client.post(f"/patients/{p['id']}/reveal", json={"field": "phone", "reason": "电话随访血压情况"},
                              headers={**DOCTOR, "X-Request-ID": "req-reveal-9"})
        assert r.status_code == 200, r.text
        assert r.json() == {"record_id": p["id"], "field": "phone", "value": "13800000000"}
        [entry] = await audit(client, p["person_ref"], "reveal")
        assert (entry["actor"], entry["resource_type"], entry["resource_id"]) == ("dr-li", "patient", p["id"])
        assert (entry["fields"], entry["reason"], entry["request_id"]) == ("phone", "电话随访血压情况", "req-reveal-9")
        assert "13800000000" not in str(entry)
        own = await client.post(f"/patients/{p['id']}/reveal", json={"field": "id_number", "reason": "核对本人信息"},
                                headers=as_patient(9))
        assert own.status_code == 200 and own.json()["value"] == id_number(9)
        assert len(await audit(client, p["person_ref"], "reveal")) == 2


async def test_reveal_refused_to_others_and_without_a_reason(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], seq=10)
        body = {"field": "id_number", "reason": "核对身份信息"}
        for who in (OTHER_DOCTOR, ADMIN, AUDITOR, as_patient(11)):
            r = await client.post(f"/patients/{p['id']}/reveal", json=body, headers=who)
            assert problem_of(r, 403) and id_number(10) not in r.text
        for bad, field in (({"field": "phone"}, "reason"), ({"field": "phone", "reason": "ok"}, "reason"),
                           ({"field": "name", "reason": "核对身份信息"}, "field")):
            r = await client.post(f"/patients/{p['id']}/reveal", json=bad, headers=DOCTOR)
            assert [e["field"] for e in problem_of(r, 422)["errors"]] == [field]
        assert await audit(client, p["person_ref"], "reveal") == []
