"""Health data is visible only to the patient's care staff and to the patient."""

from services.chronic_care.tests.helpers import (
    ADMIN,
    AUDITOR,
    DOCTOR,
    OTHER_DOCTOR,
    T0,
    as_patient,
    bp,
    drug,
    fix_time,
    id_number,
    patient,
    station,
)
from shared.testing import identity_headers


async def test_a_patient_cannot_read_another_patients_data(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        alice = await patient(client, s["id"], seq=1)
        bob = await patient(client, s["id"], seq=2)
        bob_reading = (await bp(client, bob["id"], 150, 92)).json()
        d = await drug(client, "YP001")
        bob_refill = (await client.post("/refills", json={"patient_id": bob["id"], "drug_id": d["id"],
                                                          "quantity": 1}, headers=DOCTOR)).json()
        await bp(client, alice["id"], 128, 80)
        as_alice = as_patient(1)

        assert (await client.get(f"/patients/{bob['id']}", headers=as_alice)).status_code == 403
        assert (await client.get(f"/patients/{bob['id']}/timeline", headers=as_alice)).status_code == 403
        assert (await client.get(f"/readings/{bob_reading['id']}", headers=as_alice)).status_code == 404
        assert (await client.get(f"/refills/{bob_refill['id']}", headers=as_alice)).status_code == 403
        readings = (await client.get("/readings", params={"patient_id": bob["id"]}, headers=as_alice)).json()
        assert readings["items"] == []
        mine = (await client.get("/readings", headers=as_alice)).json()["items"]
        assert [r["patient_id"] for r in mine] == [alice["id"]]
        listing = (await client.get("/patients", headers=as_alice)).json()["items"]
        assert [p["id"] for p in listing] == [alice["id"]]
        assert (await client.get("/follow-ups", params={"patient_id": bob["id"]}, headers=as_alice)).json()[
            "items"] == []
        # Her own record, the ID number masked as for everyone (she may reveal it: test_consent_reveal).
        me = (await client.get(f"/patients/{alice['id']}", headers=as_alice)).json()
        assert me["id_number"] != id_number(1) and me["id_number"].endswith(id_number(1)[-4:]) and me["name"] == "病人1"


async def test_only_the_patients_care_staff_read_health_data(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client, staff=("dr-li",))
        p = await patient(client, s["id"], family_doctor="dr-zhao")
        family_doctor = identity_headers("doctor", subject="dr-zhao")  # not on the station's staff
        assert (await client.get(f"/patients/{p['id']}", headers=family_doctor)).status_code == 200
        for outsider in (OTHER_DOCTOR, ADMIN, AUDITOR, identity_headers("community")):
            r = await client.get(f"/patients/{p['id']}", headers=outsider)
            assert r.status_code == 403, outsider
            assert r.headers["content-type"] == "application/problem+json"
        assert (await client.get("/patients", headers=OTHER_DOCTOR)).json()["items"] == []
        assert (await client.get("/patients", headers=AUDITOR)).status_code == 403
        assert (await client.get(f"/patients/{p['id']}")).status_code == 401
        # Lists and the record mask the ID number, for the care staff too (they reveal it on purpose).
        row = (await client.get("/patients", headers=DOCTOR)).json()["items"][0]
        assert row["id_number"].startswith("330") and "*" in row["id_number"]
        assert (await client.get(f"/patients/{p['id']}", headers=DOCTOR)).json()["id_number"] == row["id_number"]
        # Clinical writes are for care staff only.
        assert (await bp(client, p["id"], 130, 80, headers=OTHER_DOCTOR)).status_code == 403
        r = await client.patch(f"/patients/{p['id']}", json={"phone": "13900000000"}, headers=as_patient(1))
        assert r.status_code == 403
        # Statistics carry no person: auditors read them, patients do not.
        assert (await client.get("/stats/overview", headers=AUDITOR)).status_code == 200
        assert (await client.get("/stats/overview", headers=as_patient(1))).status_code == 403


async def test_registration_rules(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        other = await station(client, code="zhenning", staff=("dr-wang",), street="330109005",
                              community="330109005001")
        body = {"id_number": id_number(5), "name": "倪阿大", "station_id": s["id"], "conditions": [{"code": "E11"}],
                "health_data_consent": True}
        r = await client.post("/patients", json={**body, "station_id": other["id"]}, headers=DOCTOR)
        assert r.status_code == 403  # registered by the staff of the patient's own station
        good = id_number(5)
        wrong_check = good[:17] + ("1" if good[17] != "1" else "2")
        r = await client.post("/patients", json={**body, "id_number": wrong_check}, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id_number"
        r = await client.post("/patients", json={**body, "conditions": [{"code": "diabetes"}]}, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "conditions.0.code"
        r = await client.post("/patients", json={**body, "community_code": "330109005001"}, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "community_code"
        assert (await client.get("/patients", headers=DOCTOR)).json()["items"] == []
        r = await client.post("/patients", json=body, headers=DOCTOR)
        assert r.status_code == 201
        created = r.json()
        assert created["sex"] in ("M", "F") and created["street_code"] == "330109011"
        assert created["family_doctor"] == "dr-li" and created["conditions"][0]["category"] == "E11"
        assert (await client.post("/patients", json=body, headers=DOCTOR)).status_code == 409
        r = await client.post("/patients", json=body, headers=ADMIN)
        assert r.status_code == 403


async def test_reads_of_a_health_record_are_audited(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        await client.get(f"/patients/{p['id']}", headers=DOCTOR)
        await client.get(f"/patients/{p['id']}/timeline", headers=as_patient(1))
        r = await client.get("/audit", params={"person_ref": p["person_ref"]}, headers=AUDITOR)
        assert r.status_code == 200, r.text
        entries = [(e["actor"], e["action"], e["resource_type"]) for e in r.json()["items"]]
        assert ("dr-li", "create", "patient") in entries and ("dr-li", "read", "patient") in entries
        assert ("resident-1", "read", "timeline") in entries
        assert (await client.get("/audit", headers=DOCTOR)).status_code == 403
