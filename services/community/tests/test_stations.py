"""Stations and the 15-minute circle: the nearby search returns the stations within the walk, nearest first."""

import math
from datetime import date, timedelta

import pytest

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

WEEKDAYS = [{"days": [1, 2, 3, 4, 5], "opens": "08:00", "closes": "17:30"}]


def north(metres: float) -> tuple[float, float]:
    return HUB[0] + metres / 111_195.0, HUB[1]


def east(metres: float) -> tuple[float, float]:
    return HUB[0], HUB[1] + metres / (111_195.0 * math.cos(math.radians(HUB[0])))


async def test_nearby_lists_stations_within_the_walk_nearest_first(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)  # a Monday, 09:00 local
        a = await station(client, "宁惠驿站", *north(200), opening_hours=WEEKDAYS, meal_price_fen=1500)
        b = await station(client, "小宁萌托育", *east(500), kind="childcare")
        c = await station(client, "振宁儿童之家", *north(-760), kind="children_home")
        await station(client, "潮都养老服务中心", *east(-800), kind="elderly_care")  # 15.6 minutes away
        shut = await station(client, "旧活动室", *north(100), kind="neighbourhood")
        r = await client.patch(f"/stations/{shut['id']}", json={"status": "closed"}, headers=STAFF)
        assert r.status_code == 200
        canteen = await station(client, "共享食堂", *east(-300), kind="canteen", meal_price_fen=1200)

        r = await client.get("/stations/nearby", params={"latitude": HUB[0], "longitude": HUB[1]}, headers=AUDITOR)
        assert r.status_code == 200, r.text
        body = r.json()
        assert [s["id"] for s in body["items"]] == [a["id"], canteen["id"], b["id"], c["id"]]
        assert [s["distance_m"] for s in body["items"]] == pytest.approx([200, 300, 500, 760], abs=2)
        assert body["items"][0]["walk_minutes"] == pytest.approx(200 * 1.3 / 66.7, abs=0.1)
        assert body["walking_model"]["max_walk_m"] == 1000 and body["walking_model"]["max_straight_line_m"] == 770
        assert [s["open_now"] for s in body["items"]] == [True, False, False, False]

        r = await client.get("/stations/nearby", params={"latitude": HUB[0], "longitude": HUB[1], "minutes": 5},
                             headers=AUDITOR)
        assert [s["id"] for s in r.json()["items"]] == [a["id"]]
        r = await client.get("/stations/nearby", params={"latitude": HUB[0], "longitude": HUB[1],
                                                         "service": "canteen"}, headers=AUDITOR)
        assert [s["id"] for s in r.json()["items"]] == [a["id"], canteen["id"]]  # the five-in-one has a canteen
        r = await client.get("/stations/nearby", params={"latitude": HUB[0], "longitude": HUB[1],
                                                         "include_closed": True}, headers=AUDITOR)
        assert r.json()["items"][0]["id"] == shut["id"]

        fix_time(client, T0 + timedelta(days=6))  # Sunday
        r = await client.get("/stations/nearby", params={"latitude": HUB[0], "longitude": HUB[1]}, headers=AUDITOR)
        assert r.json()["items"][0]["open_now"] is False


async def test_a_resident_searches_from_home(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client, latitude=north(700)[0], longitude=HUB[1])
        await member(client, home["id"], 7, date(1949, 3, 3), lives_alone=True)
        other = await household(client)
        near = await station(client, "宁惠驿站", *HUB)
        await station(client, "远处驿站", *north(-200), kind="elderly_care")  # 900 m from home
        me = as_resident(7, date(1949, 3, 3))
        r = await client.get("/stations/nearby", headers=me)
        assert r.status_code == 200, r.text
        assert r.json()["origin"]["source"] == "household"
        assert [s["id"] for s in r.json()["items"]] == [near["id"]]
        assert (await client.get("/stations/nearby", params={"household_id": other["id"]},
                                 headers=me)).status_code == 403
        r = await client.get("/stations/nearby", params={"household_id": other["id"]}, headers=STAFF)
        assert r.status_code == 200 and r.json()["origin"]["source"] == "household"


BAD_SEARCHES = [
    ({"latitude": 30.2}, "longitude"),
    ({"latitude": 31.23, "longitude": 121.47}, "latitude"),
    ({"latitude": 30.2, "longitude": 120.28, "minutes": 0}, "minutes"),
    ({"latitude": 30.2, "longitude": 120.28, "minutes": 90}, "minutes"),
    ({"latitude": 30.2, "longitude": 120.28, "service": "spa"}, "service"),
    ({}, "latitude"),  # staff have no home to start from
]


async def test_bad_input_names_the_field(make_client):
    async with make_client() as client:
        for params, field in BAD_SEARCHES:
            r = await client.get("/stations/nearby", params=params, headers=STAFF)
            assert r.status_code == 422, r.text
            assert r.json()["errors"][0]["field"] == field
        r = await client.get("/stations/nearby", params={"household_id": (await household(client, latitude=None,
                                                                                          longitude=None))["id"]},
                             headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "household_id"
        base = {"name": "x", "kind": "childcare", "community_code": "330109005001", "latitude": HUB[0],
                "longitude": HUB[1]}
        cases = [({"meal_price_fen": 1200}, "meal_price_fen"),
                 ({"opening_hours": [{"days": [1], "opens": "08:00", "closes": "12:00"},
                                     {"days": [1, 2], "opens": "11:00", "closes": "17:00"}]}, "opening_hours"),
                 ({"opening_hours": [{"days": [8], "opens": "08:00", "closes": "12:00"}]}, "opening_hours.0.days"),
                 ({"opening_hours": [{"days": [1], "opens": "18:00", "closes": "08:00"}]}, "opening_hours"),
                 ({"community_code": "330109005"}, "community_code"), ({"longitude": 121.5}, "longitude")]
        for extra, field in cases:
            r = await client.post("/stations", json={**base, **extra}, headers=STAFF)
            assert r.status_code == 422, (extra, r.text)
            assert r.json()["errors"][0]["field"] == field
        assert (await client.get("/stations", headers=STAFF)).json()["items"] == []
        s = await station(client, "宁惠驿站", *HUB)
        assert s["services"] == sorted(["elderly_care", "canteen", "minors_protection", "children_home",
                                        "disability_home"])
        assert (await client.post("/stations", json=base, headers=AUDITOR)).status_code == 403
        listed = (await client.get("/stations", params={"service": "children_home"},
                                   headers=as_resident(1, date(1990, 1, 1)))).json()["items"]
        assert [x["id"] for x in listed] == [s["id"]]
