"""ID numbers and phones are masked in every read; an entitled caller reveals one field with a reason, and each
reveal is one audit row."""

from __future__ import annotations

from services.jobs.tests.helpers import (
    APPROVER,
    AUDITOR,
    CHENGXIANG,
    OFFICER,
    T0,
    as_resident,
    at,
    id_number,
    seeker,
)
from shared.testing import identity_headers


async def reveals_of(client, ref: str) -> list[dict]:
    log = (await client.get("/audit", params={"person_ref": ref, "action": "reveal"}, headers=AUDITOR)).json()
    return log["items"]


async def test_masked_in_lists_and_details_for_everyone(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client, seq=31)
        assert "*" in s["id_number"] and s["phone"] == "138****5678"  # the registration answer too
        for who in (OFFICER, APPROVER, AUDITOR, as_resident(id_number(31))):
            detail = (await client.get(f"/seekers/{s['id']}", headers=who)).json()
            assert detail["id_number"] != id_number(31) and detail["phone"] == "138****5678", detail
        rows = (await client.get("/seekers", headers=OFFICER)).json()["items"]
        assert all(id_number(31) not in str(r) and "13812345678" not in str(r) for r in rows)
        assert await reveals_of(client, s["person_ref"]) == []


async def test_an_officer_reveals_one_field_with_a_reason_and_it_is_audited_once(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client, seq=32)
        r = await client.post(f"/seekers/{s['id']}/reveal", json={"field": "phone", "reason": "电话回访就业意向"},
                              headers={**OFFICER, "X-Request-ID": "req-reveal-32"})
        assert r.status_code == 200, r.text
        assert r.json() == {"record_id": s["id"], "field": "phone", "value": "13812345678"}
        r = await client.post(f"/seekers/{s['id']}/reveal", json={"field": "id_number", "reason": "核对身份办理登记"},
                              headers=OFFICER)
        assert r.json()["value"] == id_number(32)
        log = await reveals_of(client, s["person_ref"])
        assert len(log) == 2
        phone = next(e for e in log if e["fields"] == "phone")
        assert (phone["actor"], phone["resource_type"], phone["resource_id"]) == ("officer-zhang", "seeker", s["id"])
        assert phone["reason"] == "电话回访就业意向" and phone["request_id"] == "req-reveal-32"
        assert all(id_number(32) not in str(e) and "13812345678" not in str(e) for e in log)


async def test_the_seeker_reveals_their_own_value(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client, seq=33)
        r = await client.post(f"/seekers/{s['id']}/reveal", json={"field": "id_number", "reason": "核对本人信息"},
                              headers=as_resident(id_number(33)))
        assert r.status_code == 200 and r.json()["value"] == id_number(33)


async def test_not_entitled_is_403_or_404_and_nothing_is_revealed_or_audited(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client, seq=34)
        body = {"field": "phone", "reason": "想看一下号码"}
        for who in (APPROVER, AUDITOR, identity_headers("doctor", subject="dr-li")):
            r = await client.post(f"/seekers/{s['id']}/reveal", json=body, headers=who)
            assert r.status_code == 403 and "13812345678" not in r.text, r.text
        elsewhere = identity_headers("jobs", subject="officer-far", street_code=CHENGXIANG)
        assert (await client.post(f"/seekers/{s['id']}/reveal", json=body, headers=elsewhere)).status_code == 403
        stranger = as_resident(id_number(35), subject="stranger")
        assert (await client.post(f"/seekers/{s['id']}/reveal", json=body, headers=stranger)).status_code == 404
        assert await reveals_of(client, s["person_ref"]) == []


async def test_a_reveal_without_a_reason_or_of_another_field_is_422_naming_it(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client, seq=36)
        for body, field in (({"field": "phone"}, "reason"), ({"field": "phone", "reason": "  看  "}, "reason"),
                            ({"field": "name", "reason": "核对身份信息"}, "field")):
            r = await client.post(f"/seekers/{s['id']}/reveal", json=body, headers=OFFICER)
            assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
            assert [e["field"] for e in r.json()["errors"]] == [field], r.text
        assert await reveals_of(client, s["person_ref"]) == []
