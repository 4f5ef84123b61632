"""Follow-ups on a schedule, the overdue call list sorted by risk, and call outcomes."""

from datetime import timedelta

from services.chronic_care.tests.helpers import DOCTOR, OTHER_DOCTOR, T0, as_patient, bp, fix_time, patient, station


async def _open(client, patient_id):
    items = (await client.get("/follow-ups", params={"patient_id": patient_id, "status": "scheduled"},
                              headers=DOCTOR)).json()["items"]
    assert len(items) == 1
    return items[0]


async def _overdue(client, **params):
    r = await client.get("/follow-ups/overdue", params=params, headers=DOCTOR)
    assert r.status_code == 200, r.text
    return r.json()


async def test_overdue_list_is_sorted_by_risk_then_time_overdue(make_client):
    async with make_client() as client:
        s = await station(client)
        fix_time(client, T0)
        calm = await patient(client, s["id"], seq=1)
        fix_time(client, T0 + timedelta(days=10))
        critical = await patient(client, s["id"], seq=2)
        fix_time(client, T0 + timedelta(days=20))
        high = await patient(client, s["id"], seq=3)
        fix_time(client, T0 + timedelta(days=25))
        later = await patient(client, s["id"], seq=4)  # due after the moment we look
        fix_time(client, T0 + timedelta(days=30))
        await bp(client, calm["id"], 128, 80)
        await bp(client, critical["id"], 185, 100)
        await bp(client, high["id"], 165, 90)

        # First follow-up one quarter (90 days) after registration: four a year.
        first = await _open(client, calm["id"])
        assert first["due_at"] == (T0 + timedelta(days=90)).isoformat().replace("+00:00", "Z")
        assert (await _overdue(client))["items"] == []

        fix_time(client, T0 + timedelta(days=114))
        page = await _overdue(client)
        assert [i["follow_up"]["patient_id"] for i in page["items"]] == [critical["id"], high["id"], calm["id"]]
        assert [i["last_grade"] for i in page["items"]] == ["critical", "high", "normal"]
        assert [i["days_overdue"] for i in page["items"]] == [14, 4, 24]
        assert page["items"][0]["phone"] == "138****0000"  # masked: the doctor reveals it on the record to call
        assert later["id"] not in [i["follow_up"]["patient_id"] for i in page["items"]]
        # Pages walk the same order.
        one = await _overdue(client, limit=2)
        two = await _overdue(client, limit=2, cursor=one["next_cursor"])
        assert [i["follow_up"]["patient_id"] for i in one["items"] + two["items"]] == [
            critical["id"], high["id"], calm["id"]] and two["next_cursor"] is None
        assert (await client.get("/follow-ups/overdue", headers=as_patient(1))).status_code == 403
        assert (await client.get("/follow-ups/overdue", headers=OTHER_DOCTOR)).json()["items"] == []


async def test_call_outcomes_and_doing_the_follow_up(make_client):
    async with make_client() as client:
        s = await station(client)
        fix_time(client, T0)
        later = await patient(client, s["id"], seq=1)
        agreed = await patient(client, s["id"], seq=2)
        gone = await patient(client, s["id"], seq=3)
        refused = await patient(client, s["id"], seq=4)
        now = T0 + timedelta(days=100)
        fix_time(client, now)
        ids = {p["id"]: (await _open(client, p["id"]))["id"] for p in (later, agreed, gone, refused)}

        r = await client.post(f"/follow-ups/{ids[later['id']]}/calls", json={"outcome": "call_later"},
                              headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "call_on"
        r = await client.post(f"/follow-ups/{ids[later['id']]}/calls",
                              json={"outcome": "call_later", "call_on": str((now + timedelta(days=7)).date())},
                              headers=DOCTOR)
        assert r.status_code == 200 and r.json()["calls"][0]["outcome"] == "call_later"
        await client.post(f"/follow-ups/{ids[agreed['id']]}/calls",
                          json={"outcome": "agreed_to_visit", "visit_on": str((now + timedelta(days=2)).date())},
                          headers=DOCTOR)
        r = await client.post(f"/follow-ups/{ids[gone['id']]}/calls",
                              json={"outcome": "removed", "removed_reason": "moved"}, headers=DOCTOR)
        assert r.json()["status"] == "removed"
        await client.post(f"/follow-ups/{ids[refused['id']]}/calls",
                          json={"outcome": "removed", "removed_reason": "refused"}, headers=DOCTOR)
        assert (await _overdue(client))["items"] == []
        assert (await client.get(f"/patients/{gone['id']}", headers=DOCTOR)).json()["status"] == "inactive"
        # The refusing patient stays in care: the next follow-up is a quarter away.
        assert (await _open(client, refused["id"]))["due_at"].startswith(str((now + timedelta(days=90)).date()))

        fix_time(client, now + timedelta(days=3))  # the agreed day passed without a visit
        assert [i["follow_up"]["patient_id"] for i in (await _overdue(client))["items"]] == [agreed["id"]]
        fix_time(client, now + timedelta(days=7))
        assert {i["follow_up"]["patient_id"] for i in (await _overdue(client))["items"]} == {
            agreed["id"], later["id"]}

        r = await client.post(f"/follow-ups/{ids[agreed['id']]}/complete", json={"method": "clinic"},
                              headers=DOCTOR)
        assert r.status_code == 200 and r.json()["status"] == "done"
        assert (await client.post(f"/follow-ups/{ids[agreed['id']]}/complete", json={"method": "clinic"},
                                  headers=DOCTOR)).status_code == 409
        nxt = await _open(client, agreed["id"])
        assert nxt["due_at"].startswith(str((now + timedelta(days=97)).date()))
        r = await client.post(f"/follow-ups/{nxt['id']}/complete",
                              json={"method": "home", "completed_at": "2030-01-01T00:00:00Z"}, headers=DOCTOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "completed_at"
        r = await client.post(f"/follow-ups/{nxt['id']}/complete", json={"method": "home"}, headers=OTHER_DOCTOR)
        assert r.status_code == 403
