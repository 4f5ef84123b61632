"""Matching both ways: a clearly better candidate ranks first, and every score says why."""

from datetime import date

from services.jobs.tests.helpers import (
    AUDITOR,
    CHENGXIANG,
    NINGWEI,
    OFFICER,
    T0,
    ZHENNING,
    as_resident,
    at,
    employer,
    id_number,
    seeker,
    vacancy,
)


async def test_a_clearly_better_seeker_ranks_first_with_reasons(make_client, db_backend):
    async with make_client(db_backend) as client:
        at(client, T0)
        company = await employer(client)
        post = await vacancy(client, company["id"], title="电工", skills=["电工", "低压电工证", "维修"],
                             salary_min_fen=550_000, salary_max_fen=700_000, community_code=ZHENNING)
        best = await seeker(client, community_code=ZHENNING, skills=["电工", "低压电工证", "维修"],
                            desired_posts=["电工"], desired_salary_min_fen=600_000,
                            priority_groups=["land_expropriated"])
        middling = await seeker(client, skills=["电工"], desired_salary_min_fen=650_000)
        poor = await seeker(client, street_code=CHENGXIANG, skills=["会计"], desired_salary_min_fen=900_000)
        placed = await seeker(client, skills=["电工", "低压电工证", "维修"])
        await client.post("/placements", json={"seeker_id": placed["id"], "placement_type": "self_employed"},
                          headers=OFFICER)

        r = await client.get(f"/vacancies/{post['id']}/matches", headers=OFFICER)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert [i["seeker_id"] for i in items] == [best["id"], middling["id"]]  # the far-off accountant has no
        # overlap and lives in another street; the placed seeker is no longer looking
        top = items[0]
        assert top["score"] == 100.0
        reasons = {x["factor"]: x for x in top["reasons"]}
        assert set(reasons) == {"skills", "post", "place", "salary", "priority"}
        assert reasons["skills"]["points"] == 45 and "has 3 of 3" in reasons["skills"]["detail"]
        assert reasons["place"]["detail"] == "in the seeker's own community"
        assert "land_expropriated" in reasons["priority"]["detail"]
        assert sum(x["max_points"] for x in top["reasons"]) == 100
        second = {x["factor"]: x for x in items[1]["reasons"]}
        assert second["skills"]["points"] == 15 and "lacks" in second["skills"]["detail"]
        assert items[0]["score"] > items[1]["score"]
        assert poor["id"] not in [i["seeker_id"] for i in items]

        # Names are the officer's to see; an auditor sees them masked.
        masked = (await client.get(f"/vacancies/{post['id']}/matches", headers=AUDITOR)).json()["items"]
        assert all(i["seeker_name"].endswith("*") for i in masked)


async def test_vacancies_ranked_for_a_seeker_and_public_welfare_reserved(make_client, db_backend):
    async with make_client(db_backend) as client:
        at(client, T0)
        near, far = await employer(client), await employer(client, street=CHENGXIANG)
        good = await vacancy(client, near["id"], title="仓库管理员", skills=["叉车", "仓储"], salary_max_fen=800_000)
        distant = await vacancy(client, far["id"], title="仓库管理员", skills=["叉车", "仓储"],
                                street_code=CHENGXIANG, salary_max_fen=800_000)
        cheap = await vacancy(client, near["id"], title="搬运工", skills=["叉车"], salary_min_fen=250_000,
                              salary_max_fen=300_000)
        welfare = await vacancy(client, near["id"], title="保洁", skills=[], public_welfare=True)
        s = await seeker(client, seq=51, skills=["叉车", "仓储"], desired_posts=["仓库管理员"],
                         desired_salary_min_fen=600_000)
        r = await client.get(f"/seekers/{s['id']}/matches", headers=OFFICER)
        assert r.status_code == 200, r.text
        ranked = [i["vacancy_id"] for i in r.json()["items"]]
        assert ranked == [good["id"], distant["id"], cheap["id"]]
        # good and cheap share skills and street (in both pools, counted once); welfare is nearby only.
        assert r.json()["candidates_considered"] == 4
        assert {x["factor"]: x["detail"] for x in r.json()["items"][0]["reasons"]}["skills"] == \
            "has 2 of 2 skills asked (仓储, 叉车)"
        assert welfare["id"] not in ranked  # public-welfare posts: employment-assistance groups only
        salary = {x["factor"]: x for x in r.json()["items"][2]["reasons"]}["salary"]
        assert salary["points"] == 0 and "wants 6000+" in salary["detail"]
        # The seeker may look at their own matches.
        mine = await client.get(f"/seekers/{s['id']}/matches", headers=as_resident(id_number(51)))
        assert mine.status_code == 200 and mine.json()["items"][0]["vacancy_id"] == good["id"]

        hard = await seeker(client, born=date(1975, 1, 1), priority_groups=["hard_to_employ"], skills=[])
        r = await client.get(f"/seekers/{hard['id']}/matches", headers=OFFICER)
        assert welfare["id"] in [i["vacancy_id"] for i in r.json()["items"]]
        r = await client.get(f"/vacancies/{welfare['id']}/matches", headers=OFFICER)
        assert [i["seeker_id"] for i in r.json()["items"]] == [hard["id"]]


async def test_matching_refusals(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client)
        await client.post("/placements", json={"seeker_id": s["id"], "placement_type": "self_employed"},
                          headers=OFFICER)
        assert (await client.get(f"/seekers/{s['id']}/matches", headers=OFFICER)).status_code == 409
        v = await vacancy(client, (await employer(client))["id"])
        await client.post(f"/vacancies/{v['id']}/close", headers=OFFICER)
        assert (await client.get(f"/vacancies/{v['id']}/matches", headers=OFFICER)).status_code == 409
        r = await client.get(f"/vacancies/{v['id']}/matches", params={"limit": 0}, headers=OFFICER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit"
        r = await client.post("/vacancies", json={"employer_id": v["employer_id"], "title": "x", "salary_min_fen": 9,
                                                  "salary_max_fen": 5, "street_code": NINGWEI, "headcount": 1},
                              headers=OFFICER)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "salary_max_fen"
