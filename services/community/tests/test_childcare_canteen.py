"""Childcare slots (age eligibility, no over-booking) and the shared canteen (the elderly subsidy in fen)."""

import asyncio
from datetime import date, timedelta

from services.community.tests.helpers import (
    AUDITOR,
    HUB,
    STAFF,
    T0,
    as_resident,
    fix_time,
    household,
    member,
    station,
)

STARTS = T0 + timedelta(days=2)  # Wednesday 09:00 local
MUM = date(1993, 8, 8)


async def slot(client, station_id: str, capacity: int, starts=STARTS, hours: int = 3) -> dict:
    r = await client.post("/childcare/slots", json={"station_id": station_id, "starts_at": starts.isoformat(),
                                                    "ends_at": (starts + timedelta(hours=hours)).isoformat(),
                                                    "capacity": capacity}, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def book(client, slot_id: str, resident_id: str | None = None, headers=STAFF):
    body = {} if resident_id is None else {"resident_id": resident_id}
    return await client.post(f"/childcare/slots/{slot_id}/bookings", json=body, headers=headers)


async def test_childcare_bookings_respect_age_and_places(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        nursery = await station(client, "小宁萌托育", *HUB, kind="childcare")
        hub = await station(client, "宁惠驿站", *HUB)
        r = await client.post("/childcare/slots", json={"station_id": hub["id"], "starts_at": STARTS.isoformat(),
                                                        "ends_at": (STARTS + timedelta(hours=3)).isoformat(),
                                                        "capacity": 5}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "station_id"
        morning = await slot(client, nursery["id"], capacity=2)
        home = await household(client)
        await member(client, home["id"], 1, MUM, name="陈妈妈")
        toddler = await member(client, home["id"], 2, date(2024, 6, 1), name="陈小萌")  # 21 months
        older = await member(client, home["id"], 3, date(2022, 1, 1), name="陈大萌")  # 50 months
        baby = await member(client, home["id"], 4, date(2025, 12, 1), name="陈小小")  # 3 months
        mum = as_resident(1, MUM)
        r = await book(client, morning["id"], toddler["id"], headers=mum)
        assert r.status_code == 201 and r.json()["status"] == "booked"
        assert (await book(client, morning["id"], toddler["id"], headers=mum)).status_code == 409
        for child in (older, baby):
            r = await book(client, morning["id"], child["id"], headers=mum)
            assert r.status_code == 422 and r.json()["errors"][0]["field"] == "resident_id"
        overlapping = await slot(client, nursery["id"], capacity=5, starts=STARTS + timedelta(hours=1))
        r = await book(client, overlapping["id"], toddler["id"], headers=mum)
        assert r.status_code == 409 and r.json()["errors"][0]["field"] == "resident_id"

        # Many families at once for the last places: never more than the capacity.
        late = await slot(client, nursery["id"], capacity=3, starts=STARTS + timedelta(days=1))
        others = await household(client)
        kids = [await member(client, others["id"], 10 + i, date(2024, 1, 1 + i), name=f"孩子{i}") for i in range(6)]
        responses = await asyncio.gather(*(book(client, late["id"], k["id"]) for k in kids))
        assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 3
        assert (await client.get(f"/childcare/slots/{late['id']}", headers=mum)).json()["places_left"] == 0

        # Cancelling frees the place; attendance is staff's, once the slot has started.
        mine = (await client.get("/childcare/bookings/mine", headers=mum)).json()["items"]
        booking = next(b for b in mine if b["slot_id"] == morning["id"])
        assert (await client.post(f"/childcare/bookings/{booking['id']}/check-in", headers=STAFF)).status_code == 409
        assert (await client.post(f"/childcare/bookings/{booking['id']}/cancel", headers=mum)).status_code == 200
        assert (await client.get(f"/childcare/slots/{morning['id']}", headers=mum)).json()["booked_count"] == 0
        assert (await client.post(f"/childcare/bookings/{booking['id']}/cancel", headers=mum)).status_code == 409
        fix_time(client, STARTS + timedelta(days=1, minutes=5))
        first = (await client.get(f"/childcare/slots/{late['id']}/bookings", headers=AUDITOR)).json()["items"][0]
        assert (await client.post(f"/childcare/bookings/{first['id']}/check-in", headers=mum)).status_code == 403
        r = await client.post(f"/childcare/bookings/{first['id']}/check-in", headers=STAFF)
        assert r.status_code == 200 and r.json()["status"] == "attended"


async def test_canteen_prices_meals_with_the_elderly_subsidy(make_client):
    async with make_client() as client:
        fix_time(client, T0)  # Monday 09:00 local: lunch orders close at 09:30
        hub = await station(client, "宁惠驿站", *HUB, meal_price_fen=1500)
        cheap = await station(client, "便民食堂", *HUB, kind="canteen", meal_price_fen=500)
        nursery = await station(client, "小宁萌托育", *HUB, kind="childcare")
        home = await household(client)
        diners = {
            "nonagenarian": await member(client, home["id"], 1, date(1934, 1, 1), low_income=True),
            "septuagenarian": await member(client, home["id"], 2, date(1951, 4, 12)),
            "sexagenarian": await member(client, home["id"], 3, date(1961, 1, 1)),
            "adult": await member(client, home["id"], 4, date(1981, 1, 1)),
        }
        today = "2026-03-02"
        expected = {"nonagenarian": (900, 600, "90+/low_income"), "septuagenarian": (300, 1200, "70-79"),
                    "sexagenarian": (200, 1300, "60-69"), "adult": (0, 1500, "none")}
        for who, person in diners.items():
            r = await client.post("/meal-orders", json={"station_id": hub["id"], "meal_date": today, "meal": "lunch",
                                                        "resident_id": person["id"]}, headers=STAFF)
            assert r.status_code == 201, r.text
            order = r.json()
            assert (order["subsidy_fen"], order["payable_fen"], order["subsidy_band"]) == expected[who], who
            assert order["price_fen"] == order["subsidy_fen"] + order["payable_fen"]
        r = await client.post("/meal-orders", json={"station_id": cheap["id"], "meal_date": "2026-03-03",
                                                    "meal": "lunch", "resident_id": diners["nonagenarian"]["id"]},
                              headers=STAFF)
        assert (r.json()["subsidy_fen"], r.json()["payable_fen"]) == (500, 0)  # never more than the price

        # The elder orders their own dinner from the app; rules name the field and change nothing.
        elder = as_resident(2, date(1951, 4, 12))
        r = await client.post("/meal-orders", json={"station_id": hub["id"], "meal_date": today, "meal": "dinner"},
                              headers=elder)
        assert r.status_code == 201 and r.json()["resident_id"] == diners["septuagenarian"]["id"]
        bad = [({"meal_date": today, "meal": "lunch"}, 409, "meal"),
               ({"meal_date": today, "meal": "breakfast"}, 422, "meal_date"),  # closed last night
               ({"meal_date": "2026-03-20", "meal": "lunch"}, 422, "meal_date"),  # too far ahead
               ({"meal_date": today, "meal": "supper"}, 422, "meal"),
               ({"meal_date": "2026-03-03", "meal": "lunch", "station_id": nursery["id"]}, 422, "station_id")]
        for body, status, field in bad:
            r = await client.post("/meal-orders", json={"station_id": hub["id"], **body}, headers=elder)
            assert r.status_code == status, (body, r.text)
            assert r.json()["errors"][0]["field"] == field
        other = await household(client)
        stranger = await member(client, other["id"], 9, date(1950, 1, 1))
        r = await client.post("/meal-orders", json={"station_id": hub["id"], "meal_date": "2026-03-03",
                                                    "meal": "lunch", "resident_id": stranger["id"]}, headers=elder)
        assert r.status_code == 403
        mine = (await client.get("/meal-orders/mine", headers=elder)).json()["items"]
        assert len(mine) == 6  # the household's orders

        lunch = next(o for o in mine if o["meal"] == "lunch" and o["meal_date"] == today
                     and o["resident_id"] == diners["adult"]["id"])
        tomorrow = next(o for o in mine if o["meal_date"] == "2026-03-03")
        assert (await client.post(f"/meal-orders/{tomorrow['id']}/serve", headers=STAFF)).status_code == 409
        fix_time(client, T0 + timedelta(hours=3))
        assert (await client.post(f"/meal-orders/{lunch['id']}/cancel", headers=elder)).status_code == 409  # cut off
        r = await client.post(f"/meal-orders/{lunch['id']}/serve", headers=STAFF)
        assert r.status_code == 200 and r.json()["status"] == "served"
        assert (await client.post(f"/meal-orders/{lunch['id']}/serve", headers=STAFF)).status_code == 409
        assert (await client.post(f"/meal-orders/{tomorrow['id']}/cancel", headers=elder)).status_code == 200
