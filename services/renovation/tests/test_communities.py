import pytest

from services.renovation.tests.factories import (
    AUDITOR,
    CHAODU,
    STAFF,
    ZHENNING,
    at,
    outbox_payloads,
    outbox_types,
    set_clock,
)

ACTIONS = ("select", "start", "request-inspection", "accept", "reject")
ALLOWED = {("applied", "select"), ("applied", "reject"), ("selected", "start"), ("building", "request-inspection"),
           ("inspection_requested", "accept"), ("inspection_requested", "reject")}
COMMUNITIES = ("330109005001", "330109005002", "330109005003", "330109005004", "330109001001")
PATH_TO = {"applied": (), "selected": ("select",), "building": ("select", "start"),
           "inspection_requested": ("select", "start", "request-inspection"),
           "accepted": ("select", "start", "request-inspection", "accept"), "rejected": ("reject",)}


async def apply(client, community=ZHENNING, **overrides):
    body = {"name": "振宁未来社区", "community_code": community, "level": "province", "batch": "2022年第一批",
            "applied_on": "2026-01-15", "beneficiaries": 12000,
            "scenarios": ["one_old_one_young", "neighbourhood", "health"], **overrides}
    r = await client.post("/future-communities", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def act(client, app_id, *actions, reason="理由"):
    r = None
    for action in actions:
        r = await client.post(f"/future-communities/{app_id}/{action}", headers=STAFF,
                              json={"reason": reason} if action == "reject" else None)
        assert r.status_code == 200, (action, r.text)
    return r.json() if r else None


async def inspect(client, app_id, scenario, passed, on="2026-10-12"):
    return await client.post(f"/future-communities/{app_id}/scenarios/{scenario}/inspections", headers=STAFF,
                             json={"inspected_on": on, "passed": passed})


async def test_full_path_with_scenarios_inspected_one_by_one(make_client, db_backend):
    async with make_client(db_backend) as client:
        set_clock(client, at("2026-05-20T02:00:00"))
        fc = await apply(client)
        assert fc["status"] == "applied" and fc["street_code"] == "330109005"
        assert {s["scenario"]: s["status"] for s in fc["scenarios"]} == {
            "health": "pending", "neighbourhood": "pending", "one_old_one_young": "pending"}
        assert (await inspect(client, fc["id"], "health", True, on="2026-05-10")).status_code == 409  # nothing built
        await act(client, fc["id"], "select", "start")
        r = await inspect(client, fc["id"], "health", False, on="2026-05-10")
        assert {s["scenario"]: s["status"] for s in r.json()["scenarios"]}["health"] == "failed"
        await act(client, fc["id"], "request-inspection")
        r = await client.post(f"/future-communities/{fc['id']}/accept", headers=STAFF)
        assert r.status_code == 409 and "health" in r.json()["detail"]  # a failed scenario blocks acceptance
        await inspect(client, fc["id"], "health", True, on="2026-05-18")
        done = await act(client, fc["id"], "accept")
        assert done["status"] == "accepted" and done["accepted_on"] == "2026-05-20"
        assert [t["to_status"] for t in done["transitions"]] == [
            "selected", "building", "inspection_requested", "accepted"]
        assert all(t["by"] == "renovation-user" for t in done["transitions"])
        # The 一老一小 scenario is inspected on its own, months after the community's acceptance.
        set_clock(client, at("2026-10-20T02:00:00"))
        r = await inspect(client, fc["id"], "one_old_one_young", True, on="2026-10-12")
        assert r.status_code == 200
        scen = {s["scenario"]: s for s in r.json()["scenarios"]}["one_old_one_young"]
        assert scen["status"] == "passed" and scen["inspected_on"] == "2026-10-12"
        assert (await inspect(client, fc["id"], "one_old_one_young", True)).status_code == 409  # already passed
        assert (await outbox_types(client)) == ["renovation.community.accepted"]
        event = (await outbox_payloads(client, "renovation.community.accepted"))[0]
        assert event == {"application_id": fc["id"], "community_code": ZHENNING, "level": "province",
                         "accepted_at": event["accepted_at"]}
        assert event["accepted_at"].startswith("2026-05-20")
        got = (await client.get(f"/future-communities/{fc['id']}", headers=AUDITOR)).json()
        assert got["status"] == "accepted"


@pytest.mark.parametrize("current", list(PATH_TO))
async def test_every_refused_transition_is_409(make_client, current):
    async with make_client() as client:
        set_clock(client, at("2026-05-20T02:00:00"))
        refused = [a for a in ACTIONS if (current, a) not in ALLOWED]
        for i, action in enumerate(refused):
            fc = await apply(client, community=COMMUNITIES[i], name=f"c{i}")
            await act(client, fc["id"], *PATH_TO[current])
            r = await client.post(f"/future-communities/{fc['id']}/{action}", headers=STAFF,
                                  json={"reason": "x"})
            assert r.status_code == 409, (current, action, r.text)
            assert (await client.get(f"/future-communities/{fc['id']}", headers=STAFF)).json()["status"] == current


async def test_reject_needs_a_reason_and_frees_the_community(make_client):
    async with make_client() as client:
        set_clock(client, at("2026-05-20T02:00:00"))
        fc = await apply(client)
        r = await client.post(f"/future-communities/{fc['id']}/reject", headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        r = await client.post(f"/future-communities/{fc['id']}/reject", headers=STAFF, json={"reason": "  "})
        assert r.status_code == 422
        # One application under way per community.
        dup = await client.post("/future-communities", headers=STAFF, json={
            "name": "again", "community_code": ZHENNING, "level": "city", "batch": "b", "applied_on": "2026-02-01"})
        assert dup.status_code == 409 and dup.json()["errors"][0]["field"] == "community_code"
        rejected = await act(client, fc["id"], "reject", reason="未入选本批次")
        assert rejected["decision_reason"] == "未入选本批次"
        again = await apply(client, level="city", batch="2026年第二批")
        assert again["status"] == "applied"


@pytest.mark.parametrize(("field", "value"), [
    ("community_code", "330109005999"), ("level", "national"), ("beneficiaries", -1),
    ("scenarios", ["health"]), ("scenarios", ["one_old_one_young", "teleport"]), ("applied_on", "2030-01-01"),
])
async def test_bad_application_names_the_field(make_client, field, value):
    async with make_client() as client:
        set_clock(client, at("2026-05-20T02:00:00"))
        r = await client.post("/future-communities", headers=STAFF, json={
            "name": "x", "community_code": ZHENNING, "level": "province", "batch": "b",
            "applied_on": "2026-01-01", field: value})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"].startswith(field)
        assert (await client.get("/future-communities", headers=STAFF)).json()["items"] == []


async def test_beneficiaries_update_and_filters(make_client):
    async with make_client() as client:
        set_clock(client, at("2026-05-20T02:00:00"))
        a = await apply(client)
        b = await apply(client, community=CHAODU, name="潮都未来社区", level="city", applied_on="2025-06-01")
        r = await client.patch(f"/future-communities/{a['id']}", json={"beneficiaries": 15000}, headers=STAFF)
        assert r.json()["beneficiaries"] == 15000
        r = await client.patch(f"/future-communities/{a['id']}", json={"beneficiaries": None}, headers=STAFF)
        assert r.status_code == 422
        ids = lambda r: [x["id"] for x in r.json()["items"]]  # noqa: E731
        assert ids(await client.get("/future-communities", params={"level": "city"}, headers=STAFF)) == [b["id"]]
        assert ids(await client.get("/future-communities", params={"year": 2026}, headers=STAFF)) == [a["id"]]
        await act(client, b["id"], "reject")
        assert (await client.patch(f"/future-communities/{b['id']}", json={"beneficiaries": 1},
                                   headers=STAFF)).status_code == 409
        await act(client, a["id"], "select", "start")
        r = await inspect(client, a["id"], "transport", True, on="2026-05-10")  # not covered by the application
        assert r.status_code == 404 and r.json()["errors"][0]["field"] == "scenario"
        r = await inspect(client, a["id"], "health", True, on="2025-12-31")  # before the application
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "inspected_on"
