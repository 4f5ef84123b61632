"""Courses and activities: places, a waiting list that moves up by itself, no over-booking under concurrent
enrolment, age eligibility, attendance."""

import asyncio
from datetime import date, timedelta

from services.community.tests.helpers import (
    AUDITOR,
    HUB,
    STAFF,
    T0,
    ZHENNING,
    as_resident,
    fix_time,
    household,
    member,
    station,
)

STARTS = T0 + timedelta(days=5)
ADULT = date(1980, 5, 1)


async def course(client, capacity: int, waitlist: int | None = None, **extra) -> dict:
    body = {"title": "公益课: 家庭急救", "kind": "public_welfare", "community_code": ZHENNING,
            "starts_at": STARTS.isoformat(), "ends_at": (STARTS + timedelta(hours=2)).isoformat(),
            "capacity": capacity, **extra}
    if waitlist is not None:
        body["waitlist_capacity"] = waitlist
    r = await client.post("/courses", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def people(client, n: int, born: date = ADULT, first_seq: int = 100) -> list[dict]:
    home = await household(client)
    return [await member(client, home["id"], first_seq + i, born, name=f"居民{i}") for i in range(n)]


async def enrol(client, course_id: str, resident_id: str | None = None, headers=STAFF):
    body = {} if resident_id is None else {"resident_id": resident_id}
    return await client.post(f"/courses/{course_id}/enrolments", json=body, headers=headers)


async def test_waiting_list_moves_up_when_a_place_frees(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        c = await course(client, capacity=2, waitlist=2)
        a, b, cc, d, e = await people(client, 5)
        # A resident enrols themself (no resident_id): their own record is found by person_ref.
        first = (await enrol(client, c["id"], headers=as_resident(100, ADULT))).json()
        assert first["status"] == "enrolled" and first["resident_id"] == a["id"]
        assert (await enrol(client, c["id"], b["id"])).json()["status"] == "enrolled"
        third = (await enrol(client, c["id"], cc["id"])).json()
        fourth = (await enrol(client, c["id"], d["id"])).json()
        assert (third["status"], third["waitlist_position"]) == ("waitlisted", 1)
        assert (fourth["status"], fourth["waitlist_position"]) == ("waitlisted", 2)
        r = await enrol(client, c["id"], e["id"])
        assert r.status_code == 409 and "full" in r.json()["detail"]
        assert (await enrol(client, c["id"], b["id"])).status_code == 409  # already in

        # A gives up the place: the head of the queue takes it, and the queue moves.
        fix_time(client, T0 + timedelta(hours=1))
        r = await client.post(f"/enrolments/{first['id']}/cancel", headers=as_resident(100, ADULT))
        assert r.status_code == 200 and r.json()["status"] == "cancelled"
        mine = (await client.get("/enrolments/mine", headers=as_resident(102, ADULT))).json()["items"]
        assert [(x["id"], x["status"], x["promoted_from_waitlist"]) for x in mine if x["course_id"] == c["id"]
                and x["resident_id"] == cc["id"]] == [(third["id"], "enrolled", True)]
        listed = (await client.get(f"/courses/{c['id']}/enrolments", params={"status": "waitlisted"},
                                   headers=AUDITOR)).json()["items"]
        assert [(x["id"], x["waitlist_position"]) for x in listed] == [(fourth["id"], 1)]
        assert (await enrol(client, c["id"], e["id"])).json()["waitlist_position"] == 2

        # More places promote the queue too; fewer than are taken is refused.
        r = await client.patch(f"/courses/{c['id']}", json={"capacity": 3}, headers=STAFF)
        assert r.status_code == 200 and (r.json()["enrolled_count"], r.json()["waitlisted_count"]) == (3, 1)
        r = await client.patch(f"/courses/{c['id']}", json={"capacity": 2}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "capacity"

        # Attendance once it has started; no enrolling or cancelling then.
        r = await client.post(f"/courses/{c['id']}/attendance", json={"attended": [third["id"]]}, headers=STAFF)
        assert r.status_code == 409
        fix_time(client, STARTS + timedelta(minutes=10))
        assert (await enrol(client, c["id"], a["id"])).status_code == 409
        assert (await client.post(f"/enrolments/{fourth['id']}/cancel", headers=STAFF)).status_code == 409
        r = await client.post(f"/courses/{c['id']}/attendance", json={"attended": [third["id"]], "absent": []},
                              headers=STAFF)
        assert r.status_code == 200 and r.json() == {"attended": 1, "absent": 0, "not_marked": 2}
        r = await client.post(f"/courses/{c['id']}/attendance", json={"attended": [first["id"]]}, headers=STAFF)
        assert r.status_code == 409  # a cancelled enrolment has no attendance


async def test_concurrent_enrolment_never_over_books(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        c = await course(client, capacity=5, waitlist=3)
        crowd = await people(client, 12)
        responses = await asyncio.gather(*(enrol(client, c["id"], p["id"]) for p in crowd))
        statuses = [r.json().get("status") for r in responses]
        assert statuses.count("enrolled") == 5 and statuses.count("waitlisted") == 3
        assert sorted(r.status_code for r in responses) == [201] * 8 + [409] * 4
        after = (await client.get(f"/courses/{c['id']}", headers=STAFF)).json()
        assert (after["enrolled_count"], after["waitlisted_count"], after["places_left"]) == (5, 3, 0)
        rows = (await client.get(f"/courses/{c['id']}/enrolments", headers=STAFF)).json()["items"]
        assert sorted(x["waitlist_position"] for x in rows if x["status"] == "waitlisted") == [1, 2, 3]


async def test_who_may_enrol_whom_and_age_limits(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        hub = await station(client, "宁惠驿站", *HUB)
        council = await course(client, capacity=20, kind="children_council", station_id=hub["id"],
                               min_age=6, max_age=14, **{"community_code": None})
        assert council["community_code"] == ZHENNING
        home = await household(client)
        parent = await member(client, home["id"], 1, date(1988, 2, 2), name="李妈妈")
        child = await member(client, home["id"], 2, date(2017, 9, 1), name="李小宁")
        toddler = await member(client, home["id"], 3, date(2024, 1, 1), name="李小萌")
        stranger = (await people(client, 1, born=date(2016, 1, 1), first_seq=50))[0]
        mum = as_resident(1, date(1988, 2, 2))
        r = await enrol(client, council["id"], child["id"], headers=mum)
        assert r.status_code == 201 and r.json()["status"] == "enrolled"
        r = await enrol(client, council["id"], stranger["id"], headers=mum)
        assert r.status_code == 403  # not her household
        for who in (toddler, parent):
            r = await enrol(client, council["id"], who["id"], headers=mum)
            assert r.status_code == 422 and r.json()["errors"][0]["field"] == "resident_id"
        assert (await enrol(client, council["id"], headers=identity_free())).status_code == 403
        r = await client.post("/courses", json={"title": "x", "kind": "reporter_base", "starts_at": STARTS.isoformat(),
                                                "ends_at": STARTS.isoformat(), "capacity": 5,
                                                "community_code": ZHENNING}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "ends_at"
        r = await client.post(f"/courses/{council['id']}/cancel", headers=STAFF)
        assert r.status_code == 200 and r.json()["status"] == "cancelled"
        assert (await enrol(client, council["id"], parent["id"])).status_code == 409
        listed = (await client.get("/courses", params={"with_places": True}, headers=mum)).json()["items"]
        assert council["id"] not in [x["id"] for x in listed]


def identity_free():
    from shared.testing import identity_headers

    return identity_headers("doctor", subject="dr-li")
