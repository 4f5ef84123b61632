"""Lab tests, admission referrals and rehabilitation nursing: lifecycles, timing, illegal steps."""

from datetime import timedelta

from services.chronic_care.tests.helpers import (
    DOCTOR,
    OTHER_DOCTOR,
    T0,
    as_patient,
    fix_time,
    patient,
    station,
)
from shared.testing import identity_headers

HOSPITAL = identity_headers("integration", subject="xiaoshan-hospital", kind="api_key",
                            scopes=frozenset({"chronic_care:referrals"}))


async def test_lab_test_lifecycle(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], conditions=("E11",))
        r = await client.post("/lab-tests", json={"patient_id": p["id"], "test_code": "hba1c"}, headers=DOCTOR)
        assert r.status_code == 201
        test = r.json()
        assert (await client.post(f"/lab-tests/{test['id']}/result", json={"value": 7.2, "unit": "%",
                                                                            "abnormal": True},
                                  headers=DOCTOR)).status_code == 409  # no sample yet
        fix_time(client, T0 + timedelta(minutes=20))
        r = await client.post(f"/lab-tests/{test['id']}/sample", headers=DOCTOR)
        assert r.json()["status"] == "sample_taken" and r.json()["sample_taken_at"] == "2026-03-02T08:20:00Z"
        fix_time(client, T0 + timedelta(days=1))
        r = await client.post(f"/lab-tests/{test['id']}/result", json={"value": 7.2, "abnormal": True},
                              headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "unit"
        r = await client.post(f"/lab-tests/{test['id']}/result", json={"value": 7.2, "unit": "%", "abnormal": True},
                              headers=DOCTOR)
        assert r.status_code == 200 and r.json()["status"] == "resulted"
        assert (await client.get(f"/lab-tests/{test['id']}", headers=as_patient(1))).json()["result_value"] == 7.2
        assert (await client.get(f"/lab-tests/{test['id']}", headers=as_patient(2))).status_code == 403
        r = await client.post("/lab-tests", json={"patient_id": p["id"], "test_code": "mri"}, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "test_code"


async def test_referral_from_request_to_discharge(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"])
        body = {"patient_id": p["id"], "hospital": "浙江萧山医院", "department": "心内科", "reason": "血压控制不佳"}
        assert (await client.post("/referrals", json=body, headers=OTHER_DOCTOR)).status_code == 403
        r = await client.post("/referrals", json=body, headers=DOCTOR)
        referral = r.json()
        assert r.status_code == 201 and referral["status"] == "requested"
        assert (await client.post(f"/referrals/{referral['id']}/admit", headers=HOSPITAL)).status_code == 409
        # The hospital reports its own steps; it cannot cancel on the station's behalf.
        assert (await client.post(f"/referrals/{referral['id']}/cancel", headers=HOSPITAL)).status_code == 403
        for hours, action in ((2, "accept"), (26, "admit"), (120, "discharge")):
            fix_time(client, T0 + timedelta(hours=hours))
            r = await client.post(f"/referrals/{referral['id']}/{action}", headers=HOSPITAL)
            assert r.status_code == 200, r.text
        done = r.json()
        assert done["status"] == "discharged" and done["closed_at"] == "2026-03-07T08:00:00Z"
        assert [s_["to_status"] for s_ in done["steps"]] == ["requested", "accepted", "admitted", "discharged"]
        assert (await client.post(f"/referrals/{referral['id']}/cancel", headers=DOCTOR)).status_code == 409
        kinds = [e["kind"] for e in (await client.get(f"/patients/{p['id']}/timeline",
                                                      headers=as_patient(1))).json()["items"]]
        assert {"referral", "referral_admitted", "referral_discharged"} <= set(kinds)


async def test_nursing_plan_with_visits(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        s = await station(client)
        p = await patient(client, s["id"], conditions=("I69",))
        body = {"patient_id": p["id"], "goal": "下肢功能康复", "visits_per_month": 4, "starts_on": "2026-03-02",
                "ends_on": "2026-02-01"}
        r = await client.post("/nursing-plans", json=body, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ends_on"
        plan = (await client.post("/nursing-plans", json={**body, "ends_on": "2026-06-01"}, headers=DOCTOR)).json()
        fix_time(client, T0 + timedelta(days=3))
        r = await client.post(f"/nursing-plans/{plan['id']}/visits", json={"notes": "步态训练"}, headers=DOCTOR)
        assert r.status_code == 201 and len(r.json()["visits"]) == 1
        assert (await client.post(f"/nursing-plans/{plan['id']}/complete", headers=DOCTOR)).json()["status"] == (
            "completed")
        r = await client.post(f"/nursing-plans/{plan['id']}/visits", json={}, headers=DOCTOR)
        assert r.status_code == 409
        figures = (await client.get("/stats/overview", headers=DOCTOR)).json()["figures"]
        assert figures["nursing_visits"] == 1
