"""The overview figures for the one screen, by year and street, for the roles entitled to them."""

from datetime import date, timedelta

from services.community.figures import service as figures
from services.community.tests.helpers import (
    AUDITOR,
    DOCTOR,
    GUALI,
    HUB,
    OTHER_STAFF,
    STAFF,
    T0,
    ZHENNING,
    as_resident,
    fix_time,
    household,
    kit,
    member,
    station,
)


async def test_overview_counts_what_happened(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        hub = await station(client, "宁惠驿站", *HUB, meal_price_fen=1500)
        nursery = await station(client, "小宁萌托育", *HUB, kind="childcare")
        home = await household(client)
        elder = await member(client, home["id"], 1, date(1945, 5, 5), lives_alone=True)
        toddler = await member(client, home["id"], 2, date(2024, 5, 5))
        devices = await kit(client, home["id"])

        # Three incidents: one closed quickly, one acknowledged, one left to escalate.
        closed = (await client.post(f"/devices/{devices['smoke']['id']}/alerts", json={}, headers=STAFF)).json()
        fix_time(client, T0 + timedelta(seconds=60))
        await client.post(f"/work-orders/{closed['work_order_id']}/acknowledge", json={}, headers=STAFF)
        fix_time(client, T0 + timedelta(seconds=600))
        r = await client.post(f"/work-orders/{closed['work_order_id']}/resolve", json={"resolution": "false_alarm"},
                              headers=STAFF)
        assert r.status_code == 200
        acked = (await client.post(f"/devices/{devices['gas']['id']}/alerts", json={}, headers=STAFF)).json()
        await client.post(f"/work-orders/{acked['work_order_id']}/acknowledge", json={}, headers=OTHER_STAFF)
        await client.post(f"/devices/{devices['emergency_button']['id']}/alerts", json={}, headers=STAFF)
        fix_time(client, T0 + timedelta(hours=1))
        await client.app.state.escalation_sweep.run_once()

        course = (await client.post("/courses", json={
            "title": "小记者采访课", "kind": "reporter_base", "station_id": hub["id"], "capacity": 1,
            "starts_at": (T0 + timedelta(days=1)).isoformat(), "ends_at": (T0 + timedelta(days=1, hours=1)).isoformat(),
        }, headers=STAFF)).json()
        await client.post(f"/courses/{course['id']}/enrolments", json={"resident_id": toddler["id"]}, headers=STAFF)
        await client.post(f"/courses/{course['id']}/enrolments", json={"resident_id": elder["id"]}, headers=STAFF)
        slot = (await client.post("/childcare/slots", json={
            "station_id": nursery["id"], "capacity": 4, "starts_at": (T0 + timedelta(days=1)).isoformat(),
            "ends_at": (T0 + timedelta(days=1, hours=3)).isoformat()}, headers=STAFF)).json()
        await client.post(f"/childcare/slots/{slot['id']}/bookings", json={"resident_id": toddler["id"]}, headers=STAFF)
        fix_time(client, T0 + timedelta(hours=1, minutes=1))  # 10:01 local: dinner orders still open
        order = (await client.post("/meal-orders", json={"station_id": hub["id"], "meal_date": "2026-03-02",
                                                         "meal": "dinner", "resident_id": elder["id"]},
                                   headers=STAFF)).json()
        spare = (await client.post("/meal-orders", json={"station_id": hub["id"], "meal_date": "2026-03-03",
                                                         "meal": "lunch", "resident_id": elder["id"]},
                                   headers=STAFF)).json()
        assert (await client.post(f"/meal-orders/{spare['id']}/cancel", headers=STAFF)).status_code == 200
        fix_time(client, T0 + timedelta(hours=9))  # 18:00 local
        await client.post(f"/meal-orders/{order['id']}/serve", headers=STAFF)
        await client.post("/visits", json={"resident_id": elder["id"], "priority": "critical"}, headers=STAFF)
        fix_time(client, T0 + timedelta(hours=14))  # 23:00 local, the same day; the visit is overdue

        r = await client.get("/stats/overview", headers=AUDITOR)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["area"] == "community" and body["filters"] == {"year": None, "street_code": None}
        f = body["figures"]
        expected = {
            "work_orders_open": 2, "work_orders_open_raised": 1, "work_orders_open_acknowledged": 1,
            "work_orders_open_escalated": 1, "work_orders_raised": 3, "work_orders_resolved": 1,
            "mean_seconds_to_acknowledge": 30.0,  # 60 s and an immediate acknowledgement
            "mean_seconds_to_resolve": 600.0, "alerts": 3, "alerts_today": 3, "alerts_today_high_or_critical": 3,
            "stations": 2, "courses": 1, "course_enrolments": 1, "course_waitlisted": 1, "childcare_slots": 1,
            "childcare_places_offered": 4, "childcare_places_booked": 1, "childcare_occupancy_pct": 25.0,
            "meals_served": 1, "meals_ordered": 1, "meal_subsidy_fen": 400, "devices_active": 4,
            "households_with_kit": 1, "visits_open": 1, "visits_overdue": 1, "residents": 2,
            "elderly_living_alone": 1,
        }
        assert {k: f[k] for k in expected} == expected
        assert body["breakdowns"]["stations_by_kind"] == {"five_in_one": 1, "childcare": 1}
        assert body["breakdowns"]["alerts_by_device_type"] == {"emergency_button": 1, "gas": 1, "smoke": 1}

        # The running totals the figures come from are exactly what the rows say.
        async with client.app.state.session_factory() as session, session.begin():
            kept = await figures.totals(session, year=None, street_code=None)
            await figures.rebuild(session)
            assert await figures.totals(session, year=None, street_code=None) == kept
        assert body["breakdowns"]["work_orders_open_by_severity"]["critical"] == 2

        fix_time(client, T0 + timedelta(days=1))  # the next local day: no alerts today
        f = (await client.get("/stats/overview", headers=STAFF)).json()["figures"]
        assert (f["alerts_today"], f["alerts"]) == (0, 3)
        f = (await client.get("/stats/overview", params={"year": 2025}, headers=STAFF)).json()["figures"]
        assert (f["work_orders_raised"], f["alerts"], f["meals_served"], f["work_orders_open"]) == (0, 0, 0, 2)
        f = (await client.get("/stats/overview", params={"street_code": GUALI}, headers=STAFF)).json()["figures"]
        assert (f["work_orders_open"], f["stations"], f["residents"]) == (0, 0, 0)


async def test_overview_refuses_bad_filters_and_unentitled_callers(make_client):
    async with make_client() as client:
        for headers in (DOCTOR, as_resident(1, date(1950, 1, 1))):
            assert (await client.get("/stats/overview", headers=headers)).status_code == 403
        assert (await client.get("/stats/overview")).status_code == 401
        for params, field in (({"year": 1800}, "year"), ({"street_code": ZHENNING}, "street_code"),
                              ({"street_code": "330109999"}, "street_code")):
            r = await client.get("/stats/overview", params=params, headers=AUDITOR)
            assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
