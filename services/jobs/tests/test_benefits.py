"""Unemployment benefit: claims and monthly batches under maker-checker; a placement stops the benefit."""

from datetime import UTC, datetime

from services.jobs.tests.helpers import APPROVER, OFFICER, OTHER_OFFICER, T0, as_resident, at, events, id_number, seeker
from shared.testing import identity_headers


async def claim(client, seeker_id: str, **overrides) -> dict:
    body = {"seeker_id": seeker_id, "monthly_amount_fen": 228_000, "months_entitled": 12, "start_period": "2026-01",
            **overrides}
    r = await client.post("/benefits/claims", json=body, headers=OFFICER)
    assert r.status_code == 201, r.text
    r = await client.post(f"/benefits/claims/{r.json()['id']}/approve",
                          json={"reason": "参保满一年，非本人意愿中断就业"}, headers=APPROVER)
    assert r.status_code == 200, r.text
    return r.json()


async def run_batch(client, period: str) -> dict:
    r = await client.post("/benefits/batches", json={"period": period}, headers=OFFICER)
    assert r.status_code == 201, r.text
    batch = r.json()
    r = await client.post(f"/benefits/batches/{batch['id']}/approve", json={"reason": "核对无误"}, headers=APPROVER)
    assert r.status_code == 200, r.text
    r = await client.post(f"/benefits/batches/{batch['id']}/pay", headers=OFFICER)
    assert r.status_code == 200, r.text
    return r.json()


async def test_placement_stops_the_benefit_from_the_next_period(make_client):
    async with make_client() as client:
        at(client, datetime(2026, 1, 5, tzinfo=UTC))
        s = await seeker(client, seq=21)
        c = await claim(client, s["id"])
        other = await seeker(client, seq=22)
        await claim(client, other["id"], monthly_amount_fen=200_000)
        for period in ("2026-01", "2026-02"):
            batch = await run_batch(client, period)
            assert (batch["lines"], batch["paid_fen"]) == (2, 428_000)

        # March is prepared (and approved) before the placement becomes known; April is still a draft.
        at(client, datetime(2026, 3, 1, tzinfo=UTC))
        march = (await client.post("/benefits/batches", json={"period": "2026-03"}, headers=OFFICER)).json()
        await client.post(f"/benefits/batches/{march['id']}/approve", json={"reason": "核对无误"}, headers=APPROVER)
        april = (await client.post("/benefits/batches", json={"period": "2026-04"}, headers=OFFICER)).json()
        assert april["lines"] == 2

        at(client, datetime(2026, 3, 3, tzinfo=UTC))
        await client.post(f"/seekers/{s['id']}/acts", json={"kind": "career_guidance"}, headers=OFFICER)
        placed = await client.post("/placements", json={"seeker_id": s["id"], "placement_type": "self_employed",
                                                        "placed_on": "2026-02-20"}, headers=OFFICER)
        assert placed.status_code == 201, placed.text

        got = (await client.get(f"/benefits/claims/{c['id']}", headers=OFFICER)).json()
        assert (got["status"], got["stop_from_period"], got["stop_reason"]) == ("stopped", "2026-03", "placed")
        stopped = await events(client, "jobs.benefit.stopped")
        assert [e["data"]["stop_from_period"] for e in stopped] == ["2026-03"]
        assert stopped[0]["data"]["person_ref"] == s["person_ref"]
        # The approved March batch withholds the line; the April draft drops it.
        march = (await client.post(f"/benefits/batches/{march['id']}/pay", headers=OFFICER)).json()
        assert (march["lines"], march["total_fen"], march["paid_fen"]) == (2, 200_000, 200_000)
        april = (await client.get(f"/benefits/batches/{april['id']}", headers=OFFICER)).json()
        assert (april["lines"], april["total_fen"]) == (1, 200_000)

        ledger = (await client.get(f"/benefits/claims/{c['id']}/ledger", headers=OFFICER)).json()
        assert [(line["period"], line["status"]) for line in ledger["lines"]] == [
            ("2026-01", "paid"), ("2026-02", "paid"), ("2026-03", "withheld")]
        assert (ledger["paid_fen"], ledger["months_paid"], ledger["months_left"]) == (456_000, 2, 0)
        # The person sees their own ledger; nobody else's.
        mine = as_resident(id_number(21))
        assert (await client.get(f"/benefits/claims/{c['id']}/ledger", headers=mine)).status_code == 200
        assert (await client.get("/benefits/claims", headers=mine)).json()["items"][0]["id"] == c["id"]
        other_claim = (await client.get("/benefits/claims", params={"seeker_id": other["id"]},
                                        headers=OFFICER)).json()["items"][0]
        assert (await client.get(f"/benefits/claims/{other_claim['id']}", headers=mine)).status_code == 404

        # Paid benefit in the overview: Jan + Feb for both, March for the other only.
        figures = (await client.get("/stats/overview", params={"year": 2026}, headers=APPROVER)).json()["figures"]
        assert figures["benefit_paid_fen"] == 428_000 * 2 + 200_000
        assert figures["benefit_recipients"] == 2 and figures["benefit_claims_active"] == 1


async def test_money_moves_under_maker_checker_with_reasons(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client)
        r = await client.post("/benefits/claims", json={"seeker_id": s["id"], "monthly_amount_fen": 228_000,
                                                        "months_entitled": 3, "start_period": "2026-03"},
                              headers=OFFICER)
        claim_id = r.json()["id"]
        # An officer is no checker; an approver who filed the claim cannot approve it; a reason is required.
        assert (await client.post(f"/benefits/claims/{claim_id}/approve", json={"reason": "ok"},
                                  headers=OTHER_OFFICER)).status_code == 403
        maker_approver = identity_headers("jobs-approver", subject="officer-zhang")
        r = await client.post(f"/benefits/claims/{claim_id}/approve", json={"reason": "ok"}, headers=maker_approver)
        assert r.status_code == 403 and "maker-checker" in r.json()["detail"]
        r = await client.post(f"/benefits/claims/{claim_id}/approve", json={"reason": ""}, headers=APPROVER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        r = await client.post(f"/benefits/claims/{claim_id}/approve", json={"reason": "   "}, headers=APPROVER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        assert (await client.post(f"/benefits/claims/{claim_id}/approve", json={"reason": "材料齐全"},
                                  headers=APPROVER)).status_code == 200
        assert (await client.post(f"/benefits/claims/{claim_id}/reject", json={"reason": "x"},
                                  headers=APPROVER)).status_code == 409
        r = await client.post("/benefits/claims", json={"seeker_id": s["id"], "monthly_amount_fen": 1,
                                                        "months_entitled": 1, "start_period": "2026-03"},
                              headers=OFFICER)
        assert r.status_code == 409  # one open claim per person

        batch = (await client.post("/benefits/batches", json={"period": "2026-03"}, headers=OFFICER)).json()
        assert (await client.post("/benefits/batches", json={"period": "2026-03"}, headers=OFFICER)).status_code == 409
        assert (await client.post(f"/benefits/batches/{batch['id']}/pay", headers=OFFICER)).status_code == 409
        r = await client.post(f"/benefits/batches/{batch['id']}/approve", json={"reason": "ok"},
                              headers=identity_headers("admin", subject="officer-zhang"))
        assert r.status_code == 403  # even an admin account cannot check its own batch
        r = await client.post(f"/benefits/batches/{batch['id']}/refuse", json={"reason": "金额待复核"},
                              headers=APPROVER)
        assert r.status_code == 200 and r.json()["decision_reason"] == "金额待复核"
        # A refused batch pays nothing and frees its period for a corrected batch.
        again = await client.post("/benefits/batches", json={"period": "2026-03"}, headers=OFFICER)
        assert again.status_code == 201 and again.json()["lines"] == 1
        r = await client.post("/benefits/batches", json={"period": "2026-13"}, headers=OFFICER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "period"

        # Three months entitled: the claim is exhausted after the third paid batch.
        for period in ("2026-03", "2026-04", "2026-05"):
            existing = (await client.get("/benefits/batches", params={"status": "draft"}, headers=OFFICER)).json()
            draft = next((b for b in existing["items"] if b["period"] == period), None)
            if draft is None:
                draft = (await client.post("/benefits/batches", json={"period": period}, headers=OFFICER)).json()
            await client.post(f"/benefits/batches/{draft['id']}/approve", json={"reason": "ok"}, headers=APPROVER)
            await client.post(f"/benefits/batches/{draft['id']}/pay", headers=OFFICER)
        assert (await client.get(f"/benefits/claims/{claim_id}", headers=OFFICER)).json()["status"] == "exhausted"
        june = (await client.post("/benefits/batches", json={"period": "2026-06"}, headers=OFFICER)).json()
        assert june["lines"] == 0
