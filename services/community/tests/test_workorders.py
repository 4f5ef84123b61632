"""The home-safety loop: an alert opens a work order that goes raised → acknowledged → dispatched → on_site
→ resolved → reviewed, escalating up the duty chain while nobody acknowledges; repeats fold into it."""

import asyncio
from datetime import date, timedelta

from services.community.tests.helpers import (
    AUDITOR,
    OTHER_STAFF,
    STAFF,
    T0,
    ZHENNING,
    device_key,
    fix_time,
    household,
    kit,
    member,
    outbox_payloads,
    ref_of,
)
from shared.testing import identity_headers

ELDER = date(1951, 4, 12)  # 74 at T0


def at(seconds: int):
    return T0 + timedelta(seconds=seconds)


async def sweep(client, when) -> int:
    fix_time(client, when)
    return await client.app.state.escalation_sweep.run_once()


async def order_of(client, order_id: str) -> dict:
    r = await client.get(f"/work-orders/{order_id}", headers=AUDITOR)
    assert r.status_code == 200, r.text
    return r.json()


async def test_alarm_runs_the_whole_loop_escalating_until_acknowledged(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        home = await household(client)
        await member(client, home["id"], 1, ELDER, lives_alone=True)
        devices = await kit(client, home["id"])
        chain = ["grid-wang", "duty-officer-li", "secretary-yao"]
        r = await client.put(f"/duty-chains/{ZHENNING}", json={"levels": chain}, headers=STAFF)
        assert r.status_code == 200 and r.json()["ack_limits_seconds"]["critical"] == 180

        smoke = devices["smoke"]
        key = device_key(f"community:alerts:device:{smoke['id']}")
        r = await client.post(f"/devices/{smoke['id']}/alerts", json={"kind": "alarm"}, headers=key)
        assert r.status_code == 201, r.text
        receipt = r.json()
        assert receipt["opened_work_order"] and not receipt["repeat"] and receipt["severity"] == "critical"
        order = await order_of(client, receipt["work_order_id"])
        assert (order["status"], order["assignee"], order["escalation_level"]) == ("raised", "grid-wang", 0)
        assert order["ack_due_at"] == at(180).isoformat().replace("+00:00", "Z")

        # Nobody acknowledges: each missed limit moves it one level up, and it keeps going at the top.
        assert await sweep(client, at(179)) == 0
        assert await sweep(client, at(181)) == 1
        order = await order_of(client, order["id"])
        assert (order["assignee"], order["escalation_level"]) == ("duty-officer-li", 1)
        assert await sweep(client, at(181)) == 0  # the same sweep again changes nothing
        assert await sweep(client, at(600)) == 2  # deadlines at 360 s and 540 s both missed
        order = await order_of(client, order["id"])
        assert (order["assignee"], order["escalation_level"]) == ("secretary-yao", 3)
        assert [e["to_assignee"] for e in order["escalations"]] == [
            "duty-officer-li", "secretary-yao", "secretary-yao"]
        assert order["escalations"][1]["deadline_missed"] == at(360).isoformat().replace("+00:00", "Z")

        # The auditor reads but cannot act; moving out of order is refused and changes nothing.
        assert (await client.post(f"/work-orders/{order['id']}/acknowledge", json={},
                                  headers=AUDITOR)).status_code == 403
        r = await client.post(f"/work-orders/{order['id']}/arrive", json={}, headers=STAFF)
        assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
        assert (await order_of(client, order["id"]))["status"] == "raised"

        fix_time(client, at(660))
        r = await client.post(f"/work-orders/{order['id']}/acknowledge", json={"note": "电话联系老人未接"},
                              headers=OTHER_STAFF)
        assert r.status_code == 200, r.text
        order = r.json()
        assert (order["status"], order["assignee"], order["ack_due_at"]) == ("acknowledged", "duty-officer-li", None)
        assert order["seconds_to_acknowledge"] == 660
        assert await sweep(client, at(3600)) == 0  # acknowledged: escalation stops

        for seconds, verb, body in ((720, "dispatch", {"responder": "网格员王"}), (1200, "arrive", {}),
                                    (2100, "resolve", {"resolution": "handled", "note": "锅烧干, 已关火通风"})):
            fix_time(client, at(seconds))
            r = await client.post(f"/work-orders/{order['id']}/{verb}", json=body, headers=OTHER_STAFF)
            assert r.status_code == 200, r.text
        fix_time(client, at(4000))
        r = await client.post(f"/work-orders/{order['id']}/review", json={"rating": 5}, headers=OTHER_STAFF)
        assert r.status_code == 403  # the resolver does not review their own work
        r = await client.post(f"/work-orders/{order['id']}/review", json={"rating": 5, "note": "闭环"}, headers=STAFF)
        assert r.status_code == 200, r.text
        order = r.json()
        assert order["status"] == "reviewed" and order["seconds_to_resolve"] == 2100
        assert [(s["to_status"], s["seconds_in_previous"]) for s in order["steps"]] == [
            ("raised", None), ("acknowledged", 660), ("dispatched", 60), ("on_site", 480), ("resolved", 900),
            ("reviewed", 1900)]
        assert (await client.post(f"/work-orders/{order['id']}/resolve", json={"resolution": "handled"},
                                  headers=STAFF)).status_code == 409

        raised = await outbox_payloads(client, "community.alert.raised")
        assert len(raised) == 1 and raised[0]["person_refs"] == [ref_of(1, ELDER)]
        assert raised[0]["device_type"] == "smoke" and raised[0]["severity"] == "critical"
        resolved = await outbox_payloads(client, "community.workorder.resolved")
        assert len(resolved) == 1
        assert (resolved[0]["seconds_to_acknowledge"], resolved[0]["seconds_to_resolve"]) == (660, 2100)
        # Events carry references only: nothing a person could be recognised by.
        assert "王秀英" not in str(raised) + str(resolved) and "13805710001" not in str(raised)


async def test_repeat_alerts_fold_into_the_open_incident(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client)
        await member(client, home["id"], 2, date(1985, 6, 1))  # not vulnerable: severities stay as they are
        devices = await kit(client, home["id"])
        door = devices["door_sensor"]
        key = device_key("community:alerts:vendor:anxin")
        first = (await client.post(f"/devices/{door['id']}/alerts", json={"kind": "alarm", "vendor_alert_id": "a-1"},
                                   headers=key)).json()
        assert first["severity"] == "medium" and first["opened_work_order"]

        fix_time(client, at(60))
        r = await client.post(f"/devices/{door['id']}/alerts", json={"kind": "alarm", "vendor_alert_id": "a-1"},
                              headers=key)
        assert r.status_code == 200 and r.json()["replayed"] and r.json()["alert_id"] == first["alert_id"]
        second = (await client.post(f"/devices/{door['id']}/alerts", json={"kind": "no_activity"}, headers=key)).json()
        assert second["repeat"] and not second["opened_work_order"]
        assert second["work_order_id"] == first["work_order_id"]
        order = await order_of(client, first["work_order_id"])
        assert order["alert_count"] == 2 and order["severity"] == "high"  # the worse alert raised it
        assert order["ack_due_at"] == at(60 + 600).isoformat().replace("+00:00", "Z")  # high's tighter limit

        # Another kind of problem on the same device is another incident; a test opens nothing.
        battery = (await client.post(f"/devices/{door['id']}/alerts", json={"kind": "low_battery"},
                                     headers=key)).json()
        assert battery["opened_work_order"] and battery["work_order_id"] != first["work_order_id"]
        test = (await client.post(f"/devices/{door['id']}/alerts", json={"kind": "test"}, headers=key)).json()
        assert test["work_order_id"] is None and test["severity"] is None
        orders = (await client.get("/work-orders", params={"open": True}, headers=STAFF)).json()["items"]
        assert len(orders) == 2
        alerts = (await client.get("/alerts", params={"device_id": door["id"]}, headers=STAFF)).json()["items"]
        assert len(alerts) == 4
        raised = await outbox_payloads(client, "community.alert.raised")
        assert len(raised) == 2  # one per incident, not per alert

        # Once the incident is closed, the next alarm is a new one.
        for verb, body in (("acknowledge", {}), ("resolve", {"resolution": "false_alarm"})):
            r = await client.post(f"/work-orders/{first['work_order_id']}/{verb}", json=body, headers=STAFF)
            assert r.status_code == 200, r.text
        again = (await client.post(f"/devices/{door['id']}/alerts", json={"kind": "alarm"}, headers=key)).json()
        assert again["opened_work_order"] and again["work_order_id"] != first["work_order_id"]


async def test_simultaneous_alarms_of_one_device_open_one_order(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, T0)
        home = await household(client)
        gas = (await kit(client, home["id"]))["gas"]
        key = device_key(f"community:alerts:device:{gas['id']}")
        responses = await asyncio.gather(*(client.post(f"/devices/{gas['id']}/alerts", json={"kind": "alarm"},
                                                       headers=key) for _ in range(8)))
        assert [r.status_code for r in responses] == [201] * 8
        receipts = [r.json() for r in responses]
        assert sum(r["opened_work_order"] for r in receipts) == 1
        assert len({r["work_order_id"] for r in receipts}) == 1
        assert (await order_of(client, receipts[0]["work_order_id"]))["alert_count"] == 8


async def test_a_device_key_reads_nothing_and_posts_only_for_its_own_device(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client)
        mine = await kit(client, home["id"], vendor="anxin")
        theirs = await kit(client, (await household(client))["id"], vendor="haiman")
        smoke = mine["smoke"]
        key = device_key(f"community:alerts:device:{smoke['id']}")
        r = await client.post(f"/devices/{mine['gas']['id']}/alerts", json={}, headers=key)
        assert r.status_code == 403  # a sibling device of the same vendor
        r = await client.post("/devices/00000000-0000-4000-8000-000000000000/alerts", json={}, headers=key)
        assert r.status_code == 403  # not even whether a device exists
        for path in ("/work-orders", "/alerts", "/devices", f"/devices/{smoke['id']}", f"/households/{home['id']}",
                     "/residents", "/stats/overview", "/feed", "/visits", "/meal-orders", "/audit",
                     f"/duty-chains/{ZHENNING}"):
            assert (await client.get(path, headers=key)).status_code == 403, path
        assert (await client.post(f"/work-orders/{smoke['id']}/acknowledge", json={},
                                  headers=key)).status_code == 403

        vendor = device_key("community:alerts:vendor:anxin")
        assert (await client.post(f"/devices/{mine['gas']['id']}/alerts", json={}, headers=vendor)).status_code == 201
        r = await client.post(f"/devices/{theirs['gas']['id']}/alerts", json={}, headers=vendor)
        assert r.status_code == 403  # another vendor's device
        unbound = device_key("community:alerts")
        assert (await client.post(f"/devices/{smoke['id']}/alerts", json={}, headers=unbound)).status_code == 403
        resident = identity_headers("resident", subject="r-1", person_ref="pr_x")
        assert (await client.post(f"/devices/{smoke['id']}/alerts", json={}, headers=resident)).status_code == 403
        # Staff may enter an alert by hand (a call to the hotline).
        r = await client.post(f"/devices/{smoke['id']}/alerts", json={}, headers=STAFF)
        assert r.status_code == 201 and r.json()["opened_work_order"]


async def test_bad_alerts_name_the_field_and_record_nothing(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        devices = await kit(client, (await household(client))["id"])
        smoke = devices["smoke"]
        key = device_key(f"community:alerts:device:{smoke['id']}")
        cases = [({"kind": "fire"}, "kind"), ({"kind": "no_activity"}, "kind"),
                 ({"occurred_at": (T0 + timedelta(hours=1)).isoformat()}, "occurred_at"),
                 ({"occurred_at": (T0 - timedelta(days=2)).isoformat()}, "occurred_at"),
                 ({"occurred_at": "2026-03-02T09:00:00"}, "occurred_at"),  # no time zone
                 ({"vendor_alert_id": "has space"}, "vendor_alert_id"), ({"colour": "red"}, "colour")]
        for body, field in cases:
            r = await client.post(f"/devices/{smoke['id']}/alerts", json=body, headers=key)
            assert r.status_code == 422, (body, r.text)
            assert r.json()["errors"][0]["field"] == field, r.json()
        assert (await client.get("/alerts", headers=STAFF)).json()["items"] == []
        assert (await client.get("/work-orders", headers=STAFF)).json()["items"] == []
        r = await client.post(f"/devices/{smoke['id']}/retire", headers=STAFF)
        assert r.status_code == 200
        assert (await client.post(f"/devices/{smoke['id']}/alerts", json={}, headers=key)).status_code == 409


async def test_remote_resolution_and_street_bound_staff(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        button = (await kit(client, (await household(client))["id"]))["emergency_button"]
        receipt = (await client.post(f"/devices/{button['id']}/alerts", json={}, headers=STAFF)).json()
        oid = receipt["work_order_id"]
        elsewhere = identity_headers("community", subject="guali-officer", street_code="330109011")
        assert (await client.post(f"/work-orders/{oid}/acknowledge", json={}, headers=elsewhere)).status_code == 403
        assert (await client.post(f"/work-orders/{oid}/acknowledge", json={}, headers=STAFF)).status_code == 200
        r = await client.post(f"/work-orders/{oid}/resolve", json={"resolution": "handled"}, headers=STAFF)
        assert r.status_code == 409  # handled on site means someone went there
        r = await client.post(f"/work-orders/{oid}/resolve", json={"resolution": "false_alarm", "note": "误按"},
                              headers=STAFF)
        assert r.status_code == 200 and r.json()["status"] == "resolved"
        assert [s["to_status"] for s in r.json()["steps"]] == ["raised", "acknowledged", "resolved"]
        r = await client.post(f"/work-orders/{oid}/assign", json={"assignee": "grid-wang"}, headers=STAFF)
        assert r.status_code == 409  # closed
