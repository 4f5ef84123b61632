from services.renovation.tests.factories import (
    CHAODU,
    CHONGHUA,
    STAFF,
    XIANGHU,
    ZHENNING,
    advance,
    estate,
    project,
)


async def test_programme_groups_projects_and_sums_them(make_client, db_backend):
    async with make_client(db_backend) as client:
        r = await client.post("/programmes", headers=STAFF, json={
            "name": "城厢片区老旧小区改造提升", "year": 2027, "community_codes": [CHONGHUA, XIANGHU]})
        assert r.status_code == 201, r.text
        prog = r.json()
        assert prog["community_codes"] == [CHONGHUA, XIANGHU]
        a = await estate(client, floor_area_m2=10000)
        b = await estate(client, community_code=XIANGHU, floor_area_m2=5000)
        p1 = await project(client, [a["id"]], programme_id=prog["id"], budget_fen=100)
        p2 = await project(client, [b["id"]], budget_fen=50)
        r = await client.patch(f"/projects/{p2['id']}", json={"programme_id": prog["id"]}, headers=STAFF)
        assert r.status_code == 200
        await advance(client, p1["id"], "approve", "start", "complete")
        detail = (await client.get(f"/programmes/{prog['id']}", headers=STAFF)).json()
        summary = detail["summary"]
        assert summary["projects"] == 2 and summary["area_m2"] == 15000 and summary["budget_fen"] == 150
        assert summary["projects_by_status"]["completed"] == 1 and summary["projects_by_status"]["planned"] == 1
        assert summary["progress_pct"] == 50  # completed counts as 100, the planned one as 0
        assert summary["communities"] == 2 and summary["communities_with_projects"] == 2
        listed = (await client.get("/programmes", params={"year": 2027}, headers=STAFF)).json()["items"]
        assert [x["id"] for x in listed] == [prog["id"]]
        assert (await client.get("/programmes", params={"year": 2028}, headers=STAFF)).json()["items"] == []
        by_programme = (await client.get("/projects", params={"programme_id": prog["id"]}, headers=STAFF)).json()
        assert len(by_programme["items"]) == 2


async def test_programme_input_rules(make_client):
    async with make_client() as client:
        r = await client.post("/programmes", headers=STAFF, json={
            "name": "x", "year": 2027, "community_codes": ["330109001"]})  # a street, not a community
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "community_codes"
        r = await client.post("/programmes", headers=STAFF, json={"name": "x", "year": 2027, "community_codes": []})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "community_codes"
        prog = (await client.post("/programmes", headers=STAFF, json={
            "name": "宁围片区", "year": 2027, "community_codes": [ZHENNING]})).json()
        outside = await estate(client, community_code=CHAODU)
        r = await client.post("/projects", headers=STAFF, json={
            "name": "潮都改造", "estate_ids": [outside["id"]], "programme_id": prog["id"], "budget_fen": 1,
            "planned_start": "2027-01-01", "planned_end": "2027-12-31"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "programme_id"
        assert (await client.get("/programmes/00000000-0000-4000-8000-000000000000",
                                 headers=STAFF)).status_code == 404
