"""The overview figures: control rates now and at a past period's end, scope and period filters."""

from datetime import UTC, datetime

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
