from services.renovation.tests.factories import (
    STAFF,
    advance,
    at,
    estate,
    household,
    project,
    resident,
    set_clock,
)
from shared.testing import identity_headers


async def milestone(client, pid, name, planned, public=True):
    r = await client.post(f"/projects/{pid}/milestones", headers=STAFF,
                          json={"name": name, "planned_date": planned, "public": public})
    assert r.status_code == 201, r.text
    return r.json()


async def progress(client, pid, mid, pct, note=None, headers=STAFF):
    return await client.post(f"/projects/{pid}/milestones/{mid}/progress", headers=headers,
                             json={"progress_pct": pct, "note": note})


async def test_progress_rolls_up_and_gates_completion(make_client, db_backend):
    async with make_client(db_backend) as client:
        p = await project(client, [(await estate(client))["id"]])
        pipes = await milestone(client, p["id"], "管网改造", "2026-05-31")
        facade = await milestone(client, p["id"], "外立面整治", "2026-09-30")
        assert (await progress(client, p["id"], pipes["id"], 50)).status_code == 409  # works not approved yet
        await advance(client, p["id"], "approve", "start")
        set_clock(client, at("2026-05-30T03:00:00"))
        r = await progress(client, p["id"], pipes["id"], 100, "管网全部完成")
        assert r.json()["completed_on"] == "2026-05-30" and r.json()["updates"][-1]["by"] == "renovation-user"
        await progress(client, p["id"], facade["id"], 40)
        got = (await client.get(f"/projects/{p['id']}", headers=STAFF)).json()
        assert got["progress_pct"] == 70
        r = await client.post(f"/projects/{p['id']}/complete", headers=STAFF)
        assert r.status_code == 409 and "外立面整治" in r.json()["detail"]
        await progress(client, p["id"], facade["id"], 100)
        assert (await client.post(f"/projects/{p['id']}/complete", headers=STAFF)).status_code == 200
        assert (await progress(client, p["id"], facade["id"], 90)).status_code == 409  # works completed


async def test_bad_progress_is_422_and_unknown_milestone_404(make_client):
    async with make_client() as client:
        p = await project(client, [(await estate(client))["id"]])
        m = await milestone(client, p["id"], "加装电梯", "2026-06-30")
        await advance(client, p["id"], "approve")
        r = await progress(client, p["id"], m["id"], 101)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "progress_pct"
        r = await progress(client, p["id"], "00000000-0000-4000-8000-000000000000", 10)
        assert r.status_code == 404
        r = await client.post(f"/projects/{p['id']}/milestones", headers=STAFF,
                              json={"name": "x", "planned_date": "not-a-date"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "planned_date"
        assert (await client.get(f"/projects/{p['id']}/milestones", headers=STAFF)).json()[0]["progress_pct"] == 0


async def test_public_timeline_shows_works_without_staff_names(make_client):
    async with make_client() as client:
        p = await project(client, [(await estate(client))["id"]], name="崇化三区块综合改造")
        public = await milestone(client, p["id"], "雨污分流", "2026-05-31")
        await milestone(client, p["id"], "内部结算", "2026-06-30", public=False)
        set_clock(client, at("2026-03-01T01:00:00"))
        await advance(client, p["id"], "approve")
        set_clock(client, at("2026-03-05T01:00:00"))
        await advance(client, p["id"], "start")
        set_clock(client, at("2026-04-01T01:00:00"))
        await progress(client, p["id"], public["id"], 60, "主管道完成")
        # The resident finds the works on their estate, then follows them.
        assert (await client.get("/me/projects", headers=resident(1))).json() == []
        await household(client, p["estate_ids"][0], "1幢101", 1)
        mine = (await client.get("/me/projects", headers=resident(1))).json()
        assert [(m["id"], m["status"]) for m in mine] == [(p["id"], "in_progress")]
        r = await client.get(f"/projects/{p['id']}/timeline", headers=resident(1))
        assert r.status_code == 200
        timeline = r.json()
        assert timeline["name"] == "崇化三区块综合改造" and timeline["status"] == "in_progress"
        assert [m["name"] for m in timeline["milestones"]] == ["雨污分流"]
        assert [(e["kind"], e["title"]) for e in timeline["entries"]] == [
            ("status", "立项批准"), ("status", "开工"), ("progress", "雨污分流")]
        assert "renovation-user" not in r.text
        assert (await client.get(f"/projects/{p['id']}/timeline")).status_code == 401
        # The detailed milestone list (with who reported) is for staff and auditors.
        assert (await client.get(f"/projects/{p['id']}/milestones", headers=resident(1))).status_code == 403
        assert (await client.get(f"/projects/{p['id']}/milestones",
                                 headers=identity_headers("auditor"))).status_code == 200
