from services.renovation.tests.factories import (
    AUDITOR,
    STAFF,
    advance,
    at,
    estate,
    outbox_payloads,
    outbox_types,
    project,
    set_clock,
)


async def completed_project(client, **overrides):
    set_clock(client, at("2026-11-20T02:00:00"))
    e1, e2 = await estate(client), await estate(client)
    p = await project(client, [e1["id"], e2["id"]], **overrides)
    await advance(client, p["id"], "approve", "start", "complete")
    return p, [e1["id"], e2["id"]]


async def inspect(client, pid, on, defects=(), reopened=()):
    return await client.post(f"/projects/{pid}/inspections", headers=STAFF, json={
        "inspected_on": on, "inspector": "区住建局质监站", "defects": list(defects),
        "reopened_defect_ids": list(reopened)})


async def rectify(client, pid, defect_id, on="2026-11-25"):
    return await client.post(f"/projects/{pid}/defects/{defect_id}/rectify", headers=STAFF,
                             json={"rectified_on": on, "note": "已整改"})


async def test_defects_rectification_and_reinspection_until_it_passes(make_client, db_backend):
    async with make_client(db_backend) as client:
        p, estate_ids = await completed_project(client)
        set_clock(client, at("2026-12-10T02:00:00"))
        r = await inspect(client, p["id"], "2026-11-22", defects=[
            {"description": "3幢外墙渗水", "severity": "major"}, {"description": "无障碍坡道坡度超标"}])
        assert r.status_code == 201, r.text
        file = r.json()
        assert file["project_status"] == "completed" and file["open_defects"] == 2
        assert file["inspections"][0]["passed"] is False and file["inspections"][0]["round"] == 1
        leak, ramp = file["defects"][0]["id"], file["defects"][1]["id"]

        # Round 2 while one defect is still open: cannot pass.
        assert (await rectify(client, p["id"], leak)).status_code == 200
        r = await inspect(client, p["id"], "2026-11-26")
        assert r.json()["inspections"][-1]["passed"] is False and r.json()["project_status"] == "completed"

        # Round 3: the ramp is rectified, but the inspector does not accept the leak's rectification.
        await rectify(client, p["id"], ramp, on="2026-11-28")
        r = await inspect(client, p["id"], "2026-11-30", reopened=[leak])
        file = r.json()
        assert file["inspections"][-1]["passed"] is False
        assert {d["id"]: d["status"] for d in file["defects"]} == {leak: "open", ramp: "rectified"}

        # Round 4: everything rectified, nothing new: passes, the project is accepted.
        await rectify(client, p["id"], leak, on="2026-12-05")
        r = await inspect(client, p["id"], "2026-12-08")
        file = r.json()
        assert [i["passed"] for i in file["inspections"]] == [False, False, False, True]
        assert file["project_status"] == "accepted" and file["open_defects"] == 0
        assert all(d["status"] == "verified" and d["verified_in_id"] == file["inspections"][-1]["id"]
                   for d in file["defects"])
        got = (await client.get(f"/projects/{p['id']}", headers=AUDITOR)).json()
        assert got["status"] == "accepted" and got["transitions"][-1]["to_status"] == "accepted"
        assert (await client.get(f"/projects/{p['id']}/inspections", headers=AUDITOR)).json() == file
        types = await outbox_types(client)
        assert types.count("renovation.project.accepted") == 1
        accepted = (await outbox_payloads(client, "renovation.project.accepted"))[0]
        assert accepted["project_id"] == p["id"] and sorted(accepted["estate_ids"]) == sorted(estate_ids)


async def test_clean_first_inspection_accepts_at_once(make_client):
    async with make_client() as client:
        p, _ = await completed_project(client)
        r = await inspect(client, p["id"], "2026-11-20")
        assert r.status_code == 201 and r.json()["project_status"] == "accepted"
        # Nothing more to inspect or rectify on an accepted project.
        assert (await inspect(client, p["id"], "2026-11-20")).status_code == 409


async def test_inspection_refused_before_completion(make_client):
    async with make_client() as client:
        set_clock(client, at("2026-11-20T02:00:00"))
        p = await project(client, [(await estate(client))["id"]])
        await advance(client, p["id"], "approve", "start")
        r = await inspect(client, p["id"], "2026-11-20")
        assert r.status_code == 409
        assert (await client.get(f"/projects/{p['id']}/inspections", headers=STAFF)).json()["inspections"] == []


async def test_bad_inspection_input_names_the_field(make_client):
    async with make_client() as client:
        p, _ = await completed_project(client)
        r = await inspect(client, p["id"], "2026-12-31")  # after "now"
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "inspected_on"
        r = await inspect(client, p["id"], "2026-11-01")  # before the works were completed
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "inspected_on"
        r = await inspect(client, p["id"], "2026-11-20", defects=[{"description": "", "severity": "minor"}])
        assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("defects")
        r = await inspect(client, p["id"], "2026-11-20", reopened=["00000000-0000-4000-8000-000000000000"])
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reopened_defect_ids"
        file = (await client.get(f"/projects/{p['id']}/inspections", headers=STAFF)).json()
        assert file["inspections"] == [] and file["project_status"] == "completed"


async def test_rectification_rules(make_client):
    async with make_client() as client:
        p, _ = await completed_project(client)
        set_clock(client, at("2026-11-30T02:00:00"))
        file = (await inspect(client, p["id"], "2026-11-22", defects=[{"description": "路灯不亮"}])).json()
        defect = file["defects"][0]["id"]
        r = await rectify(client, p["id"], defect, on="2026-11-21")  # before it was found
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "rectified_on"
        assert (await rectify(client, p["id"], defect)).status_code == 200
        assert (await rectify(client, p["id"], defect)).status_code == 409  # already rectified
        # An open defect cannot be "reopened": only a rectified one.
        r = await inspect(client, p["id"], "2026-11-26", reopened=[defect])
        assert r.json()["defects"][0]["status"] == "open"
        r = await inspect(client, p["id"], "2026-11-27", reopened=[defect])
        assert r.status_code == 422
        missing = await rectify(client, p["id"], "00000000-0000-4000-8000-000000000000")
        assert missing.status_code == 404
