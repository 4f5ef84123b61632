"""Start-up loans and enterprise relief: lifecycles, guarantees, maker-checker, and their statistics."""

from datetime import UTC, datetime

from services.jobs.tests.helpers import (
    ADMIN,
    APPROVER,
    AUDITOR,
    CHENGXIANG,
    NINGWEI,
    OFFICER,
    T0,
    as_resident,
    at,
    employer,
    id_number,
    seeker,
)
from shared.testing import identity_headers


async def test_loan_lifecycle_with_guarantors(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client, seq=61)
        body = {"seeker_id": s["id"], "business_name": "宁围小吃店", "street_code": NINGWEI,
                "amount_fen": 20_000_000, "term_months": 24,
                "guarantors": [{"kind": "guarantee_fund", "party": "萧山区创业担保基金", "amount_fen": 15_000_000},
                               {"kind": "person", "id_number": id_number(62), "amount_fen": 3_000_000}]}
        r = await client.post("/loans", json=body, headers=OFFICER)
        assert r.status_code == 201, r.text
        loan = r.json()
        assert loan["status"] == "applied" and loan["applicant_ref"] == s["person_ref"]
        assert loan["guarantors"][1]["party"].startswith("pr_")  # a person guarantor is kept as person_ref only
        assert id_number(62) not in r.text

        url = f"/loans/{loan['id']}"
        assert (await client.post(f"{url}/disburse", json={}, headers=OFFICER)).status_code == 409
        r = await client.post(f"{url}/approve", json={"reason": "ok"}, headers=identity_headers(
            "jobs-approver", subject="officer-zhang"))
        assert r.status_code == 403
        r = await client.post(f"{url}/approve", json={"reason": "担保不足"}, headers=APPROVER)
        assert r.status_code == 409 and r.json()["errors"][0]["field"] == "approved_fen"  # 18万 covers < 20万
        assert (await client.get(url, headers=OFFICER)).json()["status"] == "applied"
        r = await client.post(f"{url}/approve", json={"reason": "核减至18万，担保足额", "approved_fen": 18_000_000},
                              headers=APPROVER)
        assert r.status_code == 200 and r.json()["approved_fen"] == 18_000_000
        assert (await client.post(f"{url}/reject", json={"reason": "x"}, headers=APPROVER)).status_code == 409

        at(client, datetime(2026, 3, 20, tzinfo=UTC))
        r = await client.post(f"{url}/disburse", json={"disbursed_on": "2026-03-18"}, headers=OFFICER)
        assert r.status_code == 200 and r.json()["status"] == "disbursed" and r.json()["disbursed_fen"] == 18_000_000
        at(client, datetime(2026, 6, 1, tzinfo=UTC))
        r = await client.post(f"{url}/repayments", json={"amount_fen": 20_000_000}, headers=OFFICER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount_fen"
        key = {"Idempotency-Key": "repay-2026-05", **OFFICER}
        r = await client.post(f"{url}/repayments", json={"amount_fen": 8_000_000}, headers=key)
        assert r.status_code == 201 and r.json()["status"] == "repaying"
        r = await client.post(f"{url}/repayments", json={"amount_fen": 8_000_000}, headers=key)
        assert r.status_code == 200 and r.json()["repaid_fen"] == 8_000_000  # the retry created nothing
        r = await client.post(f"{url}/repayments", json={"amount_fen": 10_000_000}, headers=OFFICER)
        assert r.status_code == 201 and r.json()["status"] == "repaid" and r.json()["closed_on"] == "2026-06-01"
        assert (await client.post(f"{url}/default", json={"reason": "x"}, headers=APPROVER)).status_code == 409

        mine = as_resident(id_number(61))
        assert [x["id"] for x in (await client.get("/loans", headers=mine)).json()["items"]] == [loan["id"]]
        assert (await client.get(url, headers=as_resident(id_number(62)))).status_code == 404

        figures = (await client.get("/stats/overview", params={"year": 2026}, headers=AUDITOR)).json()["figures"]
        assert (figures["loans_disbursed"], figures["loans_disbursed_fen"]) == (1, 18_000_000)
        assert figures["loans_outstanding_fen"] == 0


async def test_loan_application_rules(make_client):
    async with make_client() as client:
        at(client, T0)
        base = {"id_number": id_number(63), "business_name": "网店", "street_code": NINGWEI, "amount_fen": 100_000,
                "term_months": 12, "guarantors": [{"kind": "guarantee_fund", "party": "基金", "amount_fen": 100_000}]}
        cases = [({"amount_fen": 30_000_001}, "amount_fen"), ({"term_months": 48}, "term_months"),
                 ({"id_number": "330109199001010000"}, "id_number"), ({"guarantors": []}, "guarantors"),
                 ({"guarantors": [{"kind": "person", "party": "张三", "amount_fen": 1}]}, "guarantors.0.id_number")]
        for overrides, field in cases:
            r = await client.post("/loans", json={**base, **overrides}, headers=OFFICER)
            assert r.status_code == 422, (overrides, r.text)
            assert r.json()["errors"][0]["field"] == field
        r = await client.post("/loans", json={**base, "borrower_kind": "enterprise", "amount_fen": 300_000_000,
                                              "term_months": 24,
                                              "guarantors": [{"kind": "enterprise", "party": "担保公司",
                                                              "amount_fen": 300_000_000}]}, headers=OFFICER)
        assert r.status_code == 201
        assert (await client.post("/loans", json=base, headers=OFFICER)).status_code == 409  # one live loan


async def test_relief_records_under_maker_checker_and_totals(make_client):
    async with make_client() as client:
        at(client, T0)
        a, b = await employer(client), await employer(client, street=CHENGXIANG)
        key = {"Idempotency-Key": "relief-a-1", **OFFICER}
        body = {"employer_id": a["id"], "kind": "refund", "policy": "job_retention_refund", "period": "2026-02",
                "amount_fen": 4_800_000}
        first = await client.post("/relief", json=body, headers=key)
        assert first.status_code == 201
        again = await client.post("/relief", json=body, headers=key)
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
        r = await client.post("/relief", json={**body, "amount_fen": 1}, headers=key)
        assert r.status_code == 409
        r = await client.post("/relief", json={**body, "kind": "defer"}, headers=OFFICER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "policy"
        second = (await client.post("/relief", json={"employer_id": a["id"], "kind": "reduce",
                                                     "policy": "unemployment_insurance_rate_cut", "period": "2026-02",
                                                     "amount_fen": 1_200_000}, headers=OFFICER)).json()
        third = (await client.post("/relief", json={"employer_id": b["id"], "kind": "defer",
                                                    "policy": "social_insurance_deferral", "period": "2026-02",
                                                    "amount_fen": 9_000_000}, headers=OFFICER)).json()
        rid = first.json()["id"]
        r = await client.post(f"/relief/{rid}/approve", json={"reason": "ok"},
                              headers=identity_headers("jobs-approver", subject="officer-zhang"))
        assert r.status_code == 403
        assert (await client.post(f"/relief/{rid}/approve", json={"reason": "符合稳岗返还条件"},
                                  headers=APPROVER)).status_code == 200
        assert (await client.post(f"/relief/{rid}/refuse", json={"reason": "x"}, headers=APPROVER)).status_code == 409
        await client.post(f"/relief/{second['id']}/approve", json={"reason": "费率下调"}, headers=APPROVER)
        await client.post(f"/relief/{third['id']}/refuse", json={"reason": "不符合缓缴条件"}, headers=APPROVER)

        summary = (await client.get(f"/employers/{a['id']}/relief", headers=AUDITOR)).json()
        assert summary == {"employer_id": a["id"], "approved_records": 2, "approved_fen": 6_000_000,
                           "by_kind": {"refund": 4_800_000, "reduce": 1_200_000}}
        overview = (await client.get("/stats/overview", params={"year": 2026}, headers=ADMIN)).json()
        assert overview["area"] == "jobs"
        f = overview["figures"]
        assert (f["relief_enterprise_times"], f["relief_total_fen"], f["relief_enterprises"]) == (2, 6_000_000, 1)
        assert overview["breakdowns"]["relief_fen_by_kind"] == {"reduce": 1_200_000, "refund": 4_800_000, "defer": 0}
        by_street = (await client.get("/stats/overview", params={"street_code": CHENGXIANG},
                                      headers=AUDITOR)).json()["figures"]
        assert by_street["relief_enterprise_times"] == 0
        r = await client.get("/stats/overview", params={"street_code": "330109099"}, headers=AUDITOR)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "street_code"
        assert (await client.get("/stats/overview", headers=as_resident(id_number(1)))).status_code == 403
        assert (await client.get("/stats/overview")).status_code == 401
        earlier = (await client.get("/stats/overview", params={"year": 2025}, headers=AUDITOR)).json()["figures"]
        assert earlier["relief_total_fen"] == 0
