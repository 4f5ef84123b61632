"""Issue 12 in community: a child under 14 is registered and served only with their guardian's consent in force,
and the masked ID number and phone are revealed only by an explicit, audited action."""

from __future__ import annotations

from datetime import date, timedelta

from services.community.tests.helpers import (
    AUDITOR,
    DOCTOR,
    HUB,
    STAFF,
    T0,
    as_resident,
    fix_time,
    household,
    id_number,
    member,
    ref_of,
    station,
)
from shared.testing import identity_headers

MUM, KID = date(1990, 3, 3), date(2023, 5, 5)
STARTS = T0 + timedelta(days=2)


def problem_of(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    return r.json()


async def audit(client, ref: str, action: str) -> list[dict]:
    return (await client.get("/audit", params={"person_ref": ref, "action": action}, headers=AUDITOR)).json()["items"]


async def register_child(client, household_id: str, seq: int, **consent) -> object:
    body = {"id_number": id_number(seq, KID), "name": "李小宁", **consent}
    return await client.post(f"/households/{household_id}/members", json=body, headers=STAFF)


async def test_a_child_is_registered_with_the_guardians_signed_consent(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client)
        mum = await member(client, home["id"], 1, MUM, name="李丽")  # an adult needs no guardian
        older_sibling = await member(client, home["id"], 3, date(2016, 1, 1), name="李大宁")

        refused = problem_of(await register_child(client, home["id"], 2), 422)
        assert [e["field"] for e in refused["errors"]] == ["minor_data_consent"]
        refused = problem_of(await register_child(client, home["id"], 2, minor_data_consent=True), 422)
        assert [e["field"] for e in refused["errors"]] == ["guardian_id"]
        r = await register_child(client, home["id"], 2, minor_data_consent=True, guardian_id=older_sibling["id"])
        assert [e["field"] for e in problem_of(r, 422)["errors"]] == ["guardian_id"]  # a child signs for nobody
        assert len((await client.get(f"/households/{home['id']}", headers=STAFF)).json()["members"]) == 2

        r = await register_child(client, home["id"], 2, minor_data_consent=True, guardian_id=mum["id"])
        assert r.status_code == 201, r.text
        [granted] = (await client.get("/consents", params={"person_ref": ref_of(2, KID)}, headers=STAFF)).json()
        assert (granted["purpose"], granted["guardian_person_ref"]) == ("minor_data", mum["person_ref"])
        assert [e["reason"] for e in await audit(client, ref_of(2, KID), "consent")] == [
            "grant minor_data (guardian's signed form, at registration)"]


async def test_consent_for_a_childs_data_names_the_guardian(make_client):
    async with make_client() as client:
        r = await client.post("/consents", json={"person_ref": ref_of(4, KID), "purpose": "minor_data"},
                              headers=STAFF)
        assert [e["field"] for e in problem_of(r, 422)["errors"]] == ["guardian_person_ref"]


async def test_once_the_guardian_withdraws_nothing_new_is_done_with_the_childs_data(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        nursery = await station(client, "小宁萌托育", *HUB, kind="childcare")
        home = await household(client)
        mum = await member(client, home["id"], 1, MUM, name="李丽")
        kid = (await register_child(client, home["id"], 2, minor_data_consent=True, guardian_id=mum["id"])).json()
        slot = (await client.post("/childcare/slots", json={
            "station_id": nursery["id"], "starts_at": STARTS.isoformat(),
            "ends_at": (STARTS + timedelta(hours=3)).isoformat(), "capacity": 5}, headers=STAFF)).json()
        as_mum = as_resident(1, MUM)
        first = await client.post(f"/childcare/slots/{slot['id']}/bookings", json={"resident_id": kid["id"]},
                                  headers=as_mum)
        assert first.status_code == 201, first.text

        [granted] = (await client.get("/consents", params={"person_ref": kid["person_ref"]}, headers=STAFF)).json()
        withdrawn = await client.post(f"/consents/{granted['id']}/withdraw", headers=as_mum)  # the guardian herself
        assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_by"] == "resident-1"

        later = (await client.post("/childcare/slots", json={
            "station_id": nursery["id"], "starts_at": (STARTS + timedelta(days=1)).isoformat(),
            "ends_at": (STARTS + timedelta(days=1, hours=3)).isoformat(), "capacity": 5}, headers=STAFF)).json()
        for who in (as_mum, STAFF):
            r = await client.post(f"/childcare/slots/{later['id']}/bookings", json={"resident_id": kid["id"]},
                                  headers=who)
            problem = problem_of(r, 409)
            assert "guardian" in problem["detail"] and problem["errors"][0]["field"] == "resident_id"
        r = await client.patch(f"/residents/{kid['id']}", json={"disabled": True}, headers=STAFF)
        problem_of(r, 409)
        bookings = (await client.get(f"/childcare/slots/{later['id']}/bookings", headers=STAFF)).json()["items"]
        assert bookings == []
        # The record stays readable; the earlier booking can still be cancelled; the adult is served as before.
        assert (await client.get(f"/residents/{kid['id']}", headers=STAFF)).status_code == 200
        r = await client.post(f"/childcare/bookings/{first.json()['id']}/cancel", headers=as_mum)
        assert r.status_code == 200, r.text
        assert (await client.patch(f"/residents/{mum['id']}", json={"disabled": False},
                                   headers=STAFF)).status_code == 200


async def test_ids_and_phones_are_masked_in_lists_and_details_for_everyone(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client)
        mum = await member(client, home["id"], 1, MUM, name="李丽")
        assert mum["phone"] == "138****0001" and id_number(1, MUM) not in str(mum)
        for who, path in ((STAFF, "/residents"), (AUDITOR, "/residents"), (STAFF, f"/residents/{mum['id']}"),
                          (as_resident(1, MUM), f"/residents/{mum['id']}"), (as_resident(1, MUM), "/residents/me"),
                          (STAFF, f"/households/{home['id']}")):
            text = (await client.get(path, headers=who)).text
            assert id_number(1, MUM) not in text and "13805710001" not in text, (who, path)
        assert await audit(client, mum["person_ref"], "reveal") == []


async def test_staff_reveal_one_field_with_a_reason_audited_once(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client)
        mum = await member(client, home["id"], 1, MUM, name="李丽")
        r = await client.post(f"/residents/{mum['id']}/reveal", json={"field": "phone", "reason": "独居老人告警回访"},
                              headers={**STAFF, "X-Request-ID": "req-reveal-mum"})
        assert r.status_code == 200, r.text
        assert r.json() == {"record_id": mum["id"], "field": "phone", "value": "13805710001"}
        [entry] = await audit(client, mum["person_ref"], "reveal")
        assert (entry["actor"], entry["resource_type"], entry["resource_id"]) == ("secretary-yao", "resident",
                                                                                  mum["id"])
        assert (entry["fields"], entry["reason"], entry["request_id"]) == ("phone", "独居老人告警回访",
                                                                           "req-reveal-mum")
        assert "13805710001" not in str(entry)
        own = await client.post(f"/residents/{mum['id']}/reveal", json={"field": "id_number", "reason": "核对本人信息"},
                                headers=as_resident(1, MUM))
        assert own.status_code == 200 and own.json()["value"] == id_number(1, MUM)


async def test_reveal_refused_to_others_and_without_a_reason(make_client):
    async with make_client() as client:
        fix_time(client, T0)
        home = await household(client)
        mum = await member(client, home["id"], 1, MUM, name="李丽")
        body = {"field": "id_number", "reason": "核对身份信息"}
        elsewhere = identity_headers("community", subject="staff-far", street_code="330109001")
        for who in (AUDITOR, DOCTOR, as_resident(5, MUM), elsewhere):
            r = await client.post(f"/residents/{mum['id']}/reveal", json=body, headers=who)
            assert problem_of(r, 403) and id_number(1, MUM) not in r.text
        for bad, field in (({"field": "phone"}, "reason"), ({"field": "phone", "reason": "  "}, "reason"),
                           ({"field": "address", "reason": "核对身份信息"}, "field")):
            r = await client.post(f"/residents/{mum['id']}/reveal", json=bad, headers=STAFF)
            assert [e["field"] for e in problem_of(r, 422)["errors"]] == [field]
        assert await audit(client, mum["person_ref"], "reveal") == []
