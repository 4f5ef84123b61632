"""Zero-employment households: flagged when no working-age member works, cleared automatically by a placement."""

from datetime import UTC, date, datetime

from services.jobs.employers.rules import make_credit_code
from services.jobs.tests.helpers import (
    AUDITOR,
    NINGWEI,
    OFFICER,
    T0,
    ZHENNING,
    at,
    employer,
    events,
    id_number,
    ref_of,
    seeker,
    vacancy,
)


async def household(client, *members: tuple[str, bool]) -> dict:
    r = await client.post("/households", json={
        "street_code": NINGWEI, "community_code": ZHENNING, "label": "振宁3幢2单元",
        "members": [{"id_number": n, "employed": e} for n, e in members]}, headers=OFFICER)
    assert r.status_code == 201, r.text
    return r.json()


async def test_household_is_cleared_by_a_placement_and_flagged_again_when_work_ends(make_client, db_backend):
    async with make_client(db_backend) as client:
        at(client, T0)
        father, mother, grandma = id_number(31, date(1974, 9, 3)), id_number(32, date(1976, 2, 8)), \
            id_number(33, date(1948, 6, 1))
        h = await household(client, (father, False), (mother, False), (grandma, False))
        assert h["status"] == "zero_employment" and h["flagged_at"] is not None
        assert [m["working_age"] for m in h["members"]] == [False, True, True]  # grandma, born 1948, is retired
        flagged = await events(client, "jobs.household.flagged")
        assert flagged[0]["data"] == {"household_id": h["id"], "street_code": NINGWEI, "community_code": ZHENNING,
                                      "working_age_members": 2, "flagged_at": flagged[0]["data"]["flagged_at"]}

        s = await seeker(client, seq=31, born=date(1974, 9, 3), household_id=h["id"],
                         priority_groups=["older_unemployed"])
        assert set(s["priority_groups"]) == {"older_unemployed", "zero_employment_household"}
        listed = (await client.get("/households", params={"status": "zero_employment"}, headers=AUDITOR)).json()
        assert [x["id"] for x in listed["items"]] == [h["id"]]

        at(client, datetime(2026, 3, 9, tzinfo=UTC))
        await client.post(f"/seekers/{s['id']}/acts", json={"kind": "policy_explanation"}, headers=OFFICER)
        company = await client.post("/employers", json={"name": "宁围环卫所", "street_code": NINGWEI,
                                                         "credit_code": make_credit_code("330109", 1)}, headers=OFFICER)
        post = (await client.post("/vacancies", json={
            "employer_id": company.json()["id"], "title": "保洁员（公益性岗位）", "salary_min_fen": 230_000,
            "salary_max_fen": 250_000, "street_code": NINGWEI, "headcount": 5, "public_welfare": True},
            headers=OFFICER)).json()
        r = await client.post("/placements", json={"seeker_id": s["id"], "vacancy_id": post["id"]}, headers=OFFICER)
        assert r.status_code == 201, r.text
        assert r.json()["placement_type"] == "public_welfare"

        got = (await client.get(f"/households/{h['id']}", headers=OFFICER)).json()
        assert got["status"] == "clear" and got["cleared_at"] is not None
        assert [(c["from_status"], c["to_status"]) for c in got["changes"]] == [
            (None, "zero_employment"), ("zero_employment", "clear")]
        assert "placed" in got["changes"][-1]["cause"]
        cleared = await events(client, "jobs.household.cleared")
        assert [(e["data"]["household_id"], e["data"]["seeker_id"]) for e in cleared] == [(h["id"], s["id"])]
        placed = await events(client, "jobs.seeker.placed")
        assert placed[0]["data"]["household_id"] == h["id"]
        assert placed[0]["data"]["placement_type"] == "public_welfare"
        figures = (await client.get("/stats/overview", params={"year": 2026}, headers=AUDITOR)).json()["figures"]
        assert figures["zero_employment_households"] == 0 and figures["households_cleared"] == 1
        assert figures["public_welfare_placements"] == 1

        # Dynamic: the 1-month follow-up finds him out of work: the household is flagged again.
        at(client, datetime(2026, 4, 9, tzinfo=UTC))
        r = await client.post(f"/placements/{r.json()['id']}/follow-ups/1", json={"outcome": "not_employed"},
                              headers=OFFICER)
        assert r.status_code == 200
        got = (await client.get(f"/households/{h['id']}", headers=OFFICER)).json()
        assert got["status"] == "zero_employment"
        assert len(await events(client, "jobs.household.flagged")) == 2
        # His wife finds work on her own: the officer records it, and the household clears again.
        r = await client.put(f"/households/{h['id']}/members/{ref_of(mother)}/employment",
                             json={"employed": True, "note": "妻子在超市就业"}, headers=OFFICER)
        assert r.status_code == 200 and r.json()["status"] == "clear"
        assert len(await events(client, "jobs.household.cleared")) == 2


async def test_public_welfare_posts_are_for_assistance_groups_and_households_validate(make_client):
    async with make_client() as client:
        at(client, T0)
        graduate = await seeker(client, born=date(2003, 6, 21), priority_groups=["graduate"])
        post = await vacancy(client, (await employer(client))["id"], public_welfare=True, title="巡防员")
        r = await client.post("/placements", json={"seeker_id": graduate["id"], "vacancy_id": post["id"]},
                              headers=OFFICER)
        assert r.status_code == 409 and "public-welfare" in r.json()["detail"]
        r = await client.post("/placements", json={"seeker_id": graduate["id"], "vacancy_id": post["id"],
                                                   "placement_type": "market"}, headers=OFFICER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "placement_type"
        r = await client.post("/households", json={"street_code": NINGWEI, "members": [
            {"id_number": id_number(41)}, {"id_number": "330109199001010000"}]}, headers=OFFICER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "members.1.id_number"
        h = (await client.post("/households", json={"street_code": NINGWEI, "members": [
            {"id_number": id_number(41), "employed": True}]}, headers=OFFICER)).json()
        assert h["status"] == "clear"
        r = await client.post("/households", json={"street_code": NINGWEI, "members": [
            {"id_number": id_number(41)}]}, headers=OFFICER)
        assert r.status_code == 409
