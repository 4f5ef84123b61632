"""Residents and households: personal details masked outside community staff and the person; every unmasked
read by staff is in the audit log."""

from datetime import date

from services.community.tests.helpers import (
    AUDITOR,
    DOCTOR,
    STAFF,
    T0,
    as_resident,
    fix_time,
    household,
    id_number,
    member,
)

ELDER, MUM, KID = date(1951, 4, 12), date(1990, 3, 3), date(2018, 6, 1)


async def test_details_are_masked_outside_staff_and_the_person(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client, label="振宁3幢2单元301")
        elder = await member(client, home["id"], 1, ELDER, name="王秀英", lives_alone=True)
        assert elder["id_number"] == "330***********" + id_number(1, ELDER)[-4:] and elder["masked"] is False
        assert elder["phone"] == "138****0001"  # masked for staff too: revealed on purpose (test_consent_reveal)
        assert elder["age"] == 74 and elder["groups"] == ["elderly", "elderly_living_alone"]
        family = await household(client)
        mum = await member(client, family["id"], 2, MUM, name="李丽")
        kid = await member(client, family["id"], 3, KID, name="李小宁")
        assert kid["groups"] == ["child"]

        staff_list = (await client.get("/residents", headers=STAFF)).json()["items"]
        assert {r["name"] for r in staff_list} == {"王秀英", "李丽", "李小宁"}
        assert all("*" in r["id_number"] for r in staff_list)  # lists never show a full ID number
        audited = (await client.get("/residents", headers=AUDITOR)).json()["items"]
        assert {r["name"] for r in audited} == {"王**", "李*", "李**"}
        assert all(r["masked"] and r["phone"] == "138****0001" for r in audited)
        r = await client.get(f"/residents/{elder['id']}", headers=AUDITOR)
        assert r.json()["id_number"].startswith("330") and "*" in r.json()["id_number"]
        r = await client.get(f"/households/{home['id']}", headers=AUDITOR)
        assert r.json()["label"] == "振宁3幢***" and r.json()["latitude"] is None

        # Staff read the record masked too, and the read is audited (without the ID number in the log).
        r = await client.get(f"/residents/{elder['id']}", headers=STAFF)
        assert r.json()["id_number"] != id_number(1, ELDER) and r.json()["name"] == "王秀英"
        log = (await client.get("/audit", params={"action": "read"}, headers=AUDITOR)).json()["items"]
        log = [e for e in log if e["resource_type"] == "resident"]
        assert [(e["actor"], e["person_ref"], e["resource_id"]) for e in log] == [
            ("secretary-yao", elder["person_ref"], elder["id"]), ("auditor-user", elder["person_ref"], elder["id"])]
        assert id_number(1, ELDER) not in str(log)

        # A resident sees their own record (ID number masked), their household's names, and nobody else.
        me = (await client.get("/residents/me", headers=as_resident(2, MUM))).json()
        assert me["me"]["id_number"].endswith(id_number(2, MUM)[-4:]) and me["me"]["name"] == "李丽"
        assert {m["name"] for m in me["household"]["members"]} == {"李丽", "李小宁"}
        child = next(m for m in me["household"]["members"] if m["name"] == "李小宁")
        assert "*" in child["id_number"] and child["phone"] == "138****0001"
        assert (await client.get(f"/residents/{elder['id']}", headers=as_resident(2, MUM))).status_code == 403
        assert (await client.get(f"/households/{home['id']}", headers=as_resident(2, MUM))).status_code == 403
        assert (await client.get(f"/residents/{mum['id']}", headers=as_resident(2, MUM))).status_code == 200
        assert (await client.get("/residents", headers=as_resident(2, MUM))).status_code == 403
        assert (await client.get("/residents", headers=DOCTOR)).status_code == 403
        assert (await client.get("/residents/me", headers=as_resident(9, MUM))).status_code == 404


async def test_registration_rules_and_groups(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client)
        bad = id_number(4, ELDER)[:-1] + ("0" if id_number(4, ELDER)[-1] != "0" else "1")
        r = await client.post(f"/households/{home['id']}/members", json={"id_number": bad, "name": "张三"},
                              headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id_number"
        await member(client, home["id"], 4, ELDER, disabled=True)
        r = await client.post(f"/households/{home['id']}/members", json={"id_number": id_number(4, ELDER),
                                                                         "name": "张三"}, headers=STAFF)
        assert r.status_code == 409
        r = await client.post("/households", json={"label": "x", "address": "y", "community_code": "330109005001",
                                                   "latitude": 30.2}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "longitude"
        r = await client.post("/households", json={"label": "x", "address": "y", "community_code": "999999999999"},
                              headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "community_code"
        assert len((await client.get("/households", headers=STAFF)).json()["items"]) == 1
        kid = await member(client, home["id"], 5, date(2025, 1, 1))
        for group, expected in (("disabled", 1), ("infant", 1), ("child", 1), ("elderly", 1),
                                ("elderly_living_alone", 0)):
            items = (await client.get("/residents", params={"group": group}, headers=STAFF)).json()["items"]
            assert len(items) == expected, group
        moved = await household(client)
        r = await client.patch(f"/residents/{kid['id']}", json={"household_id": moved["id"]}, headers=STAFF)
        assert r.status_code == 200 and r.json()["household_id"] == moved["id"]
        r = await client.patch(f"/residents/{kid['id']}", json={"lives_alone": None}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "lives_alone"
