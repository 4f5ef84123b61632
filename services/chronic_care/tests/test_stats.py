"""The overview figures: control rates now and at a past period's end, scope and period filters."""

from datetime import UTC, date, datetime

from services.chronic_care.tests.helpers import (
    ADMIN,
    AUDITOR,
    NINGWEI,
    OTHER_DOCTOR,
    bp,
    fix_time,
    glucose,
    patient,
    station,
)
from shared.testing import identity_headers

REGISTERED = datetime(2025, 11, 1, tzinfo=UTC)
NOW = datetime(2026, 3, 2, tzinfo=UTC)


async def _overview(client, **params):
    r = await client.get("/stats/overview", params=params, headers=AUDITOR)
    assert r.status_code == 200, r.text
    return r.json()


async def test_control_rates_now_and_at_the_end_of_a_past_year(make_client, db_backend):
    async with make_client(db_backend) as client:
        meilin = await station(client)
        zhenning = await station(client, code="zhenning", staff=("dr-wang",), street=NINGWEI,
                                 community="330109005001")
        fix_time(client, REGISTERED)
        a = await patient(client, meilin["id"], seq=1)
        b = await patient(client, meilin["id"], seq=2)
        c = await patient(client, meilin["id"], seq=3)
        d = await patient(client, meilin["id"], seq=4, conditions=("E11",))
        e = await patient(client, zhenning["id"], seq=5, conditions=("E11",), headers=OTHER_DOCTOR)
        fix_time(client, NOW)
        for p, s, dia, at in ((a, 150, 95, "2025-11-05"), (a, 130, 80, "2026-02-01"), (b, 132, 84, "2025-11-05"),
                              (b, 150, 95, "2026-02-01"), (c, 120, 80, "2025-12-20")):
            assert (await bp(client, p["id"], s, dia, measured_at=f"{at}T01:00:00Z")).status_code == 201
        await glucose(client, d["id"], 6.5, "fasting", measured_at="2026-02-01T01:00:00Z")
        await glucose(client, e["id"], 12.0, "random", measured_at="2026-02-01T01:00:00Z", headers=OTHER_DOCTOR)

        body = await _overview(client)
        assert body["area"] == "chronic_care" and body["generated_at"] == "2026-03-02T00:00:00Z"
        f = body["figures"]
        assert (f["patients_total"], f["patients_hypertension"], f["patients_diabetes"]) == (5, 3, 2)
        # Now: A (130/80) is controlled; B's last is 150/95; C's last is 120/80.
        assert (f["bp_controlled"], f["bp_control_rate"]) == (2, 0.6667)
        assert (f["glucose_controlled"], f["glucose_control_rate"]) == (1, 0.5)
        assert f["follow_ups_overdue"] == 5  # all were due a quarter after registration, 2026-01-30
        assert body["patients_by_condition"] == {"I10": 3, "E11": 2}

        # At the end of 2025: B (132/84) and C (120/80) were controlled, A (150/95) was not.
        f2025 = (await _overview(client, year=2025))["figures"]
        assert (f2025["bp_controlled"], f2025["bp_control_rate"]) == (2, 0.6667)
        assert f2025["readings"] == 3 and f2025["follow_ups_overdue"] == 0
        assert (await _overview(client, date_to="2025-11-30"))["figures"]["bp_controlled"] == 1  # B only

        # By street and by station.
        ningwei = await _overview(client, street_code=NINGWEI)
        assert ningwei["figures"]["patients_total"] == 1 and ningwei["figures"]["glucose_control_rate"] == 0.0
        assert [x["station_code"] for x in ningwei["by_station"]] == ["zhenning"]
        by_code = await _overview(client, station_code="meilin")
        assert by_code["figures"]["patients_total"] == 4 and len(by_code["by_station"]) == 1


async def test_overview_refuses_bad_filters_and_unentitled_callers(make_client):
    async with make_client() as client:
        for params, field in (({"street_code": "330109999"}, "street_code"), ({"year": 1800}, "year"),
                              ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
                              ({"station_code": "nowhere"}, "station_code"), ({"date_from": "yesterday"}, "date_from")):
            r = await client.get("/stats/overview", params=params, headers=ADMIN)
            assert r.status_code == 422, params
            assert r.json()["errors"][0]["field"] == field
        for role in ("resident", "jobs", "community"):
            assert (await client.get("/stats/overview", headers=identity_headers(role))).status_code == 403


STATE_FIGURES = ("patients_total", "patients_hypertension", "patients_diabetes", "bp_controlled", "bp_control_rate",
                 "glucose_controlled", "glucose_control_rate")


async def _both(client, **params):
    from services.chronic_care.stats.service import overview

    async with client.app.state.session_factory() as session:
        args = {"year": None, "street_code": None, "station_code": None, "date_from": None, "date_to": None,
                "now": datetime(2026, 5, 6, 9, tzinfo=UTC), **params}
        fast = await overview(session, **args)
        slow = await overview(session, **args, exact_only=True)
    return fast, slow


async def test_month_counters_agree_with_the_records(make_client):
    """Every use case that changes a figure keeps its month counter: the counters and a recount agree."""
    async with make_client() as client:
        s = await station(client)
        fix_time(client, REGISTERED)
        a = await patient(client, s["id"], seq=1)
        b = await patient(client, s["id"], seq=2, conditions=("E11",))
        c = await patient(client, s["id"], seq=3, conditions=("I10", "E11"))
        gone = await patient(client, s["id"], seq=4)
        from services.chronic_care.tests.helpers import DOCTOR, drug

        d1, d2 = await drug(client, "YP1"), await drug(client, "YP2", "盐酸二甲双胍", "0.5g")
        await client.post(f"/stations/{s['id']}/catalogue", json={"drug_id": d1["id"]}, headers=DOCTOR)
        await client.post(f"/stations/{s['id']}/stock-receipts", json={"drug_id": d1["id"], "quantity": 3},
                          headers=DOCTOR)
        for month, (sa, da) in ((1, (150, 95)), (2, (130, 80)), (3, (185, 90))):
            fix_time(client, datetime(2026, month, 10, tzinfo=UTC))
            await bp(client, a["id"], sa, da)
            await bp(client, c["id"], 128, 78)
            await glucose(client, b["id"], 6.0 if month != 3 else 11.5, "fasting")
            await bp(client, gone["id"], 132, 82)
        fix_time(client, datetime(2026, 4, 2, tzinfo=UTC))
        refill = (await client.post("/refills", json={"patient_id": a["id"], "drug_id": d1["id"], "quantity": 5},
                                    headers=DOCTOR)).json()
        await client.post(f"/refills/{refill['id']}/dispense", headers=DOCTOR)  # partial: 3 of 5
        order = (await client.post("/refills", json={"patient_id": b["id"], "drug_id": d2["id"], "quantity": 1},
                                   headers=DOCTOR)).json()
        await client.post(f"/refills/{order['id']}/approve", headers=ADMIN)
        await client.post(f"/refills/{order['id']}/deliver", headers=DOCTOR)
        await client.post(f"/refills/{order['id']}/dispense", headers=DOCTOR)
        await client.post(f"/stations/{s['id']}/catalogue", json={"drug_id": d2["id"]}, headers=DOCTOR)
        test = (await client.post("/lab-tests", json={"patient_id": b["id"], "test_code": "hba1c"},
                                  headers=DOCTOR)).json()
        await client.post(f"/lab-tests/{test['id']}/sample", headers=DOCTOR)
        await client.post(f"/lab-tests/{test['id']}/result", json={"text": "7.1%", "abnormal": True}, headers=DOCTOR)
        referral = (await client.post("/referrals", json={"patient_id": a["id"], "hospital": "萧山医院",
                                                          "reason": "复查"}, headers=DOCTOR)).json()
        for action in ("accept", "admit"):
            await client.post(f"/referrals/{referral['id']}/{action}", headers=DOCTOR)
        plan = (await client.post("/nursing-plans", json={"patient_id": c["id"], "goal": "康复", "visits_per_month": 2,
                                                          "starts_on": "2026-04-01", "ends_on": "2026-06-30"},
                                  headers=DOCTOR)).json()
        await client.post(f"/nursing-plans/{plan['id']}/visits", json={}, headers=DOCTOR)
        fix_time(client, datetime(2026, 5, 5, tzinfo=UTC))
        # c loses diabetes; "gone" moves away; a's follow-up is done.
        await client.patch(f"/patients/{c['id']}", json={"conditions": [{"code": "I10"}]}, headers=DOCTOR)
        follow_ups = (await client.get("/follow-ups", params={"status": "scheduled"}, headers=DOCTOR)).json()["items"]
        by_patient = {f["patient_id"]: f["id"] for f in follow_ups}
        await client.post(f"/follow-ups/{by_patient[gone['id']]}/calls",
                          json={"outcome": "removed", "removed_reason": "moved"}, headers=DOCTOR)
        await client.post(f"/follow-ups/{by_patient[a['id']]}/complete", json={"method": "clinic"}, headers=DOCTOR)

        for params in ({}, {"year": 2026}, {"station_code": "meilin"},
                       {"date_from": date(2026, 2, 1), "date_to": date(2026, 4, 30)},
                       {"date_from": date(2026, 2, 11), "date_to": date(2026, 4, 3)}):
            fast, slow = await _both(client, **params)
            if "date_to" in params:
                # Before May: the counters remember who was in care and with what; a recount only knows the
                # register as it is now. Period figures agree all the same.
                for state in STATE_FIGURES:
                    fast["figures"].pop(state), slow["figures"].pop(state)
            else:
                assert fast["patients_by_condition"] == slow["patients_by_condition"]
                assert fast["by_station"] == slow["by_station"]
            assert fast["figures"] == slow["figures"], params
        figures = fast["figures"]
        assert figures["dispensing_services"] == 2 and figures["partial_dispensings"] == 1
        f2026 = (await _both(client, year=2026))[0]["figures"]
        assert (f2026["patients_total"], f2026["patients_hypertension"], f2026["patients_diabetes"]) == (3, 2, 1)
        assert f2026["bp_controlled"] == 1 and f2026["glucose_controlled"] == 0  # a is 185/90; b's last 11.5
        assert f2026["drugs_added_to_catalogue"] == 1 and f2026["new_out_of_catalogue_drugs"] == 1
        assert f2026["referrals_admitted"] == 1 and f2026["nursing_visits"] == 1 and f2026["follow_ups_done"] == 1
        # Due 2026-01-30 and not done: b and c (a's was done, "gone"'s removed).
        assert f2026["follow_ups_overdue"] == 2
