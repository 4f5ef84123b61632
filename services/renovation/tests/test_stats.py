from services.renovation.tests.factories import (
    AUDITOR,
    CHAODU,
    STAFF,
    ZHENNING,
    advance,
    at,
    estate,
    household,
    project,
    resident,
    set_clock,
)
from shared.testing import identity_headers


async def build_fixture(client):
    """A small district whose figures are counted by hand in the tests below."""
    set_clock(client, at("2026-06-01T00:00:00"))
    cx1, cx2 = await estate(client, floor_area_m2=10000), await estate(client, floor_area_m2=5000)
    cx3 = await estate(client, floor_area_m2=3000)
    nw1, nw2 = await estate(client, community_code=ZHENNING, floor_area_m2=20000), await estate(
        client, community_code=CHAODU, floor_area_m2=7000)
    p1 = await project(client, [cx1["id"]], budget_fen=100)  # 城厢, accepted in 2026
    await advance(client, p1["id"], "approve", "start", "complete")
    await client.post(f"/projects/{p1['id']}/inspections", headers=STAFF,
                      json={"inspected_on": "2026-06-01", "inspector": "质监站"})
    p2 = await project(client, [cx2["id"]], budget_fen=200)  # 城厢, completed in 2026
    await advance(client, p2["id"], "approve", "start", "complete")
    p3 = await project(client, [nw1["id"]], budget_fen=300)  # 宁围, under way, due 2026
    await advance(client, p3["id"], "approve", "start")
    await project(client, [nw2["id"]], budget_fen=400, planned_end="2027-06-30")  # 宁围, planned, due 2027
    p5 = await project(client, [cx3["id"]], budget_fen=500)  # 城厢, approved, due 2026
    await advance(client, p5["id"], "approve")

    async def fc(community, level, beneficiaries, actions, applied_on="2026-01-10"):
        r = await client.post("/future-communities", headers=STAFF, json={
            "name": community, "community_code": community, "level": level, "batch": "b",
            "applied_on": applied_on, "beneficiaries": beneficiaries})
        app_id = r.json()["id"]
        for action in actions:
            await client.post(f"/future-communities/{app_id}/{action}", headers=STAFF,
                              json={"reason": "r"} if action == "reject" else None)
        return app_id

    zn = await fc(ZHENNING, "province", 10000, ["select", "start", "request-inspection", "accept"])
    await client.post(f"/future-communities/{zn}/scenarios/one_old_one_young/inspections", headers=STAFF,
                      json={"inspected_on": "2026-05-30", "passed": True})
    await fc("330109001001", "province", 5000, ["select", "start"])
    await fc("330109001002", "province", 9999, ["reject"])
    await fc(CHAODU, "city", 3000, ["select"], applied_on="2025-11-01")

    space = {"kind": "stilt_floor", "latitude": 30.20, "longitude": 120.28}
    s1 = (await client.post("/spaces", headers=STAFF, json={**space, "name": "a", "community_code": ZHENNING,
                                                          "area_m2": 200, "service_type": "canteen"})).json()
    await client.post(f"/spaces/{s1['id']}/commission", headers=STAFF)
    await client.post("/spaces", headers=STAFF, json={**space, "name": "b", "community_code": "330109001001",
                                                      "area_m2": 90})

    await household(client, cx1["id"], "1", 1)
    await household(client, cx1["id"], "2", 2)
    plan = (await client.post("/plans", headers=STAFF, json={"title": "t", "summary": "s",
                                                             "project_id": p1["id"]})).json()
    await client.put(f"/plans/{plan['id']}/votes/mine", json={"choice": "for"}, headers=resident(1))
    await client.post(f"/plans/{plan['id']}/close", headers=STAFF)
    await client.post(f"/plans/{plan['id']}/accept", headers=STAFF, json={"reason": "ok"})
    for who, score in ((1, 3), (2, 5)):
        r = await client.put(f"/plans/{plan['id']}/ratings/mine", json={"score": score}, headers=resident(who))
        assert r.status_code == 200, r.text


async def overview(client, headers=STAFF, **params):
    r = await client.get("/stats/overview", params=params, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def test_overview_equals_hand_counts(make_client, db_backend):
    async with make_client(db_backend) as client:
        await build_fixture(client)
        body = await overview(client)
        assert body["area"] == "renovation" and body["generated_at"].startswith("2026-06-01")
        f = body["figures"]
        assert f["projects_total"] == 5
        assert (f["projects_planned"], f["projects_approved"], f["projects_in_progress"], f["projects_completed"],
                f["projects_accepted"]) == (1, 1, 1, 1, 1)
        assert f["area_renovated_m2"] == 15000 and f["area_under_way_m2"] == 20000
        assert f["area_planned_m2"] == 10000 and f["budget_total_fen"] == 1500
        assert f["future_community_projects"] == 3 and f["future_community_provincial_pilots"] == 2
        assert f["future_community_city_pilots"] == 1 and f["future_communities_rejected"] == 1
        assert f["future_communities_accepted"] == 1 and f["beneficiaries"] == 18000
        assert f["one_old_one_young_scenarios_passed"] == 1
        assert (f["spaces_in_inventory"], f["spaces_commissioned"], f["spaces_commissioned_area_m2"]) == (2, 1, 200)
        assert f["plans_accepted"] == 1 and f["households_voted"] == 1
        assert f["satisfaction_ratings"] == 2 and f["satisfaction_avg"] == 4.0
        assert all(isinstance(v, int | float) for v in f.values())


async def test_overview_filters_by_year_and_street(make_client):
    async with make_client() as client:
        await build_fixture(client)
        f = (await overview(client, year=2026))["figures"]
        assert f["projects_total"] == 4 and f["area_planned_m2"] == 3000  # the 2027 project is out
        assert f["future_community_projects"] == 2 and f["beneficiaries"] == 15000  # 潮都 applied in 2025
        assert f["satisfaction_ratings"] == 2
        f = (await overview(client, year=2025))["figures"]
        assert f["projects_total"] == 0 and f["future_community_city_pilots"] == 1 and f["satisfaction_avg"] == 0
        f = (await overview(client, street_code="330109005"))["figures"]
        assert f["projects_total"] == 2 and f["area_under_way_m2"] == 20000 and f["area_renovated_m2"] == 0
        assert f["future_community_projects"] == 2 and f["beneficiaries"] == 13000
        assert f["spaces_in_inventory"] == 1 and f["satisfaction_ratings"] == 0
        f = (await overview(client, year=2026, street_code="330109001"))["figures"]
        assert f["projects_total"] == 3 and f["area_renovated_m2"] == 15000
        assert f["satisfaction_avg"] == 4.0


async def test_running_totals_follow_every_change_of_a_project(make_client, db_backend):
    from sqlalchemy import func, select

    from services.renovation.projects.models import Project

    async with make_client(db_backend) as client:
        await build_fixture(client)
        due_2027 = (await client.get("/projects", params={"year": 2027}, headers=STAFF)).json()["items"][0]
        r = await client.patch(f"/projects/{due_2027['id']}", headers=STAFF,
                               json={"planned_end": "2026-10-31", "area_m2": 7500.25, "budget_fen": 450})
        assert r.status_code == 200
        f = (await overview(client, year=2026))["figures"]
        assert f["projects_total"] == 5 and f["area_planned_m2"] == 10500.25
        assert (await overview(client, year=2027))["figures"]["projects_total"] == 0
        # The totals equal a live count over the projects table, status by status.
        async with client.app.state.session_factory() as session:
            live = {s: (n, round(float(a), 2), int(b)) for s, n, a, b in (await session.execute(
                select(Project.status, func.count(), func.sum(Project.area_m2), func.sum(Project.budget_fen))
                .group_by(Project.status))).all()}
        body = await overview(client)
        for status, (n, area, budget) in live.items():
            assert body["breakdowns"]["projects_by_status"][status] == n
            assert body["breakdowns"]["area_m2_by_project_status"][status] == area
        assert body["figures"]["budget_total_fen"] == sum(b for _, _, b in live.values())


async def test_richer_statistics(make_client):
    async with make_client() as client:
        await build_fixture(client)
        rows = {r["street_code"]: r for r in (await client.get("/stats/by-street", headers=AUDITOR)).json()[
            "streets"]}
        assert rows["330109001"]["street_name"] == "城厢街道"
        assert rows["330109001"]["area_renovated_m2"] == 15000 and rows["330109001"]["projects"] == 3
        assert rows["330109005"]["future_community_pilots"] == 2 and rows["330109005"]["beneficiaries"] == 13000
        assert rows["330109005"]["spaces_commissioned"] == 1 and rows["330109001"]["satisfaction_avg"] == 4.0
        fc = (await client.get("/stats/future-communities", headers=AUDITOR)).json()
        assert fc["by_level_and_status"]["province"]["accepted"] == 1
        assert fc["by_level_and_status"]["city"]["selected"] == 1
        assert fc["beneficiaries_by_level"] == {"province": 15000, "city": 3000}
        assert fc["scenarios"]["one_old_one_young"] == {"pending": 3, "passed": 1, "failed": 0}


async def test_statistics_are_for_staff_auditors_and_admin(make_client):
    async with make_client() as client:
        assert (await client.get("/stats/overview", headers=identity_headers("admin"))).status_code == 200
        assert (await client.get("/stats/overview", headers=AUDITOR)).status_code == 200
        for role in ("resident", "jobs", "community"):
            assert (await client.get("/stats/overview", headers=identity_headers(role))).status_code == 403
        r = await client.get("/stats/overview", params={"street_code": "330109099"}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "street_code"
        r = await client.get("/stats/overview", params={"year": "twenty"}, headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "year"
        empty = (await overview(client))["figures"]
        assert empty["projects_total"] == 0 and empty["satisfaction_avg"] == 0
        assert all(isinstance(v, int | float) for v in empty.values())


async def test_rebuilt_running_totals_equal_the_kept_ones(make_client, db_backend):
    from sqlalchemy import delete, update

    from services.renovation.participation.models import Plan, RatingTally
    from services.renovation.projects.models import ProjectTally
    from services.renovation.stats.rebuild import rebuild

    async with make_client(db_backend) as client:
        await build_fixture(client)
        kept = await overview(client)
        async with client.app.state.session_factory() as session, session.begin():
            await session.execute(delete(ProjectTally))
            await session.execute(delete(RatingTally))
            await session.execute(update(Plan).values(votes_count=0))
        assert (await overview(client))["figures"]["projects_total"] == 0
        async with client.app.state.session_factory() as session:
            await rebuild(session)
        rebuilt = await overview(client)
        assert rebuilt["figures"] == kept["figures"] and rebuilt["breakdowns"] == kept["breakdowns"]
