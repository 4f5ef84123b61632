import pytest

from services.renovation.tests.factories import (
    AUDITOR,
    CHAODU,
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


async def setup_plan(client, **plan_overrides):
    """Two estates of one project; households: 101 (residents 1, 2), 102 (3), 201 in the second estate (4)."""
    set_clock(client, at("2026-04-01T00:00:00"))
    a, b = await estate(client), await estate(client)
    homes = {"101": await household(client, a["id"], "1幢101", 1, 2),
             "102": await household(client, a["id"], "1幢102", 3),
             "201": await household(client, b["id"], "2幢201", 4),
             "202": await household(client, b["id"], "2幢202")}
    p = await project(client, [a["id"], b["id"]])
    r = await client.post("/plans", headers=STAFF, json={"title": "加装电梯与停车改造方案", "summary": "方案全文……",
                                                          "project_id": p["id"], **plan_overrides})
    assert r.status_code == 201, r.text
    return r.json(), p, homes


async def vote(client, plan_id, who, choice):
    return await client.put(f"/plans/{plan_id}/votes/mine", json={"choice": choice}, headers=resident(who))


async def results(client, plan_id, headers=STAFF):
    return (await client.get(f"/plans/{plan_id}/results", headers=headers)).json()


async def test_one_vote_per_household_whoever_votes_and_however_often(make_client, db_backend):
    async with make_client(db_backend) as client:
        plan, _, _ = await setup_plan(client)
        assert plan["status"] == "open" and len(plan["estate_ids"]) == 2
        set_clock(client, at("2026-04-02T00:00:00"))
        r = await vote(client, plan["id"], 1, "against")
        assert r.status_code == 200 and r.json()["household_label"] == "1幢101" and r.json()["revisions"] == 0
        set_clock(client, at("2026-04-03T00:00:00"))
        r = await vote(client, plan["id"], 2, "for")  # another member of the same household: replaces
        assert r.json()["revisions"] == 1 and r.json()["choice"] == "for"
        await vote(client, plan["id"], 1, "for")  # and again
        await vote(client, plan["id"], 4, "against")
        res = await results(client, plan["id"])
        assert res["eligible_households"] == 4 and res["voted_households"] == 2
        assert res["choices"] == {"for": 1, "against": 1, "abstain": 0}
        assert res["turnout_pct"] == 50.0 and res["approval_pct"] == 50.0
        mine = (await client.get(f"/plans/{plan['id']}/votes/mine", headers=resident(2))).json()
        assert mine["choice"] == "for" and mine["revisions"] == 2
        assert (await client.get(f"/plans/{plan['id']}/votes/mine", headers=resident(3))).status_code == 404


async def test_only_registered_households_of_affected_estates_vote(make_client):
    async with make_client() as client:
        plan, _, _ = await setup_plan(client)
        elsewhere = await estate(client, community_code=CHAODU)
        await household(client, elsewhere["id"], "9幢901", 9)
        assert (await vote(client, plan["id"], 9, "for")).status_code == 403  # lives in another estate
        assert (await vote(client, plan["id"], 99, "for")).status_code == 403  # not registered at all
        no_ref = identity_headers("resident", "anon")
        r = await client.put(f"/plans/{plan['id']}/votes/mine", json={"choice": "for"}, headers=no_ref)
        assert r.status_code == 403
        r = await client.put(f"/plans/{plan['id']}/votes/mine", json={"choice": "for"}, headers=STAFF)
        assert r.status_code == 403  # staff enter ballots, they do not vote online
        r = await vote(client, plan["id"], 1, "maybe")
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "choice"
        # A resident sees the plans of their own estates only.
        assert [p["id"] for p in (await client.get("/plans", headers=resident(1))).json()["items"]] == [plan["id"]]
        assert (await client.get("/plans", headers=resident(9))).json()["items"] == []
        assert (await client.get(f"/plans/{plan['id']}", headers=resident(9))).status_code == 403
        assert (await client.get(f"/plans/{plan['id']}/results", headers=resident(9))).status_code == 403
        assert (await results(client, plan["id"]))["voted_households"] == 0


async def test_paper_and_booth_ballots_merge_without_double_counting(make_client, db_backend):
    async with make_client(db_backend) as client:
        plan, _, homes = await setup_plan(client)
        set_clock(client, at("2026-04-05T00:00:00"))
        await vote(client, plan["id"], 1, "for")  # household 101 online on 04-05
        set_clock(client, at("2026-04-10T00:00:00"))
        batch = {"channel": "paper", "votes": [
            {"household_id": homes["101"]["id"], "choice": "against", "cast_at": "2026-04-03T02:00:00Z"},  # older
            {"household_id": homes["102"]["id"], "choice": "for", "cast_at": "2026-04-06T02:00:00Z"},
            {"household_id": homes["201"]["id"], "choice": "abstain", "cast_at": "2026-04-06T02:00:00Z"},
        ]}
        r = await client.post(f"/plans/{plan['id']}/offline-votes", json=batch, headers=STAFF)
        assert r.status_code == 200, r.text
        assert r.json() == {"recorded": 2, "replaced": 0, "superseded": 1}
        # The same paper batch entered twice (a retry, a second clerk) changes nothing.
        again = (await client.post(f"/plans/{plan['id']}/offline-votes", json=batch, headers=STAFF)).json()
        assert again == {"recorded": 0, "replaced": 2, "superseded": 1}
        booth = {"channel": "booth", "votes": [
            {"household_id": homes["201"]["id"], "choice": "for", "cast_at": "2026-04-08T02:00:00Z"}]}
        assert (await client.post(f"/plans/{plan['id']}/offline-votes", json=booth, headers=STAFF)).json()[
            "replaced"] == 1
        # An online vote after the paper one replaces it too.
        set_clock(client, at("2026-04-11T00:00:00"))
        await vote(client, plan["id"], 3, "against")
        res = await results(client, plan["id"])
        assert res["voted_households"] == 3
        assert res["choices"] == {"for": 2, "against": 1, "abstain": 0}
        assert res["by_channel"] == {"online": 2, "paper": 0, "booth": 1}


@pytest.mark.parametrize(("votes", "field"), [
    ([{"household_id": "H101", "choice": "for", "cast_at": "2026-04-05T00:00:00Z"},
      {"household_id": "H101", "choice": "against", "cast_at": "2026-04-06T00:00:00Z"}], "votes[1].household_id"),
    ([{"household_id": "OUT", "choice": "for", "cast_at": "2026-04-05T00:00:00Z"}], "votes[0].household_id"),
    ([{"household_id": "H101", "choice": "for", "cast_at": "2026-03-01T00:00:00Z"}], "votes[0].cast_at"),
    ([{"household_id": "H101", "choice": "for", "cast_at": "2026-05-01T00:00:00Z"}], "votes[0].cast_at"),
    ([{"household_id": "H101", "choice": "for", "cast_at": "2026-04-05T00:00:00"}], "votes[0].cast_at"),
])
async def test_bad_ballot_batches_change_nothing(make_client, votes, field):
    async with make_client() as client:
        plan, _, homes = await setup_plan(client)
        other = await household(client, (await estate(client, community_code=CHAODU))["id"], "x", 50)
        set_clock(client, at("2026-04-10T00:00:00"))
        ids = {"H101": homes["101"]["id"], "OUT": other["id"]}
        body = {"channel": "paper", "votes": [{**v, "household_id": ids[v["household_id"]]} for v in votes]}
        r = await client.post(f"/plans/{plan['id']}/offline-votes", json=body, headers=STAFF)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == field
        assert (await results(client, plan["id"]))["voted_households"] == 0


async def test_answer_with_reasons_then_satisfaction_after_the_works(make_client):
    async with make_client() as client:
        plan, p, _ = await setup_plan(client)
        await vote(client, plan["id"], 1, "for")
        r = await client.post(f"/plans/{plan['id']}/comments", json={"body": "希望保留车位"}, headers=resident(3))
        assert r.status_code == 201 and r.json()["author_kind"] == "resident" and r.json()["mine"] is True
        set_clock(client, at("2026-04-02T00:00:00"))
        r = await client.post(f"/plans/{plan['id']}/comments", json={"body": "已采纳"}, headers=STAFF)
        assert r.json()["author_kind"] == "staff"
        assert (await client.post(f"/plans/{plan['id']}/comments", json={"body": "x"},
                                  headers=AUDITOR)).status_code == 403
        comments = (await client.get(f"/plans/{plan['id']}/comments", headers=resident(1))).json()["items"]
        assert [(c["body"], c["mine"]) for c in comments] == [("希望保留车位", False), ("已采纳", False)]
        assert "resident-3" not in str(comments)
        # Refused: answering while voting is open, rating before acceptance.
        assert (await client.post(f"/plans/{plan['id']}/accept", json={"reason": "x"}, headers=STAFF)).status_code \
            == 409
        r = await client.put(f"/plans/{plan['id']}/ratings/mine", json={"score": 5}, headers=resident(1))
        assert r.status_code == 409
        set_clock(client, at("2026-04-20T00:00:00"))
        closed = (await client.post(f"/plans/{plan['id']}/close", headers=STAFF)).json()
        assert closed["status"] == "evaluating"
        assert (await vote(client, plan["id"], 4, "for")).status_code == 409  # voting closed
        r = await client.post(f"/plans/{plan['id']}/accept", headers=STAFF)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        answered = (await client.post(f"/plans/{plan['id']}/accept", headers=STAFF,
                                      json={"reason": "赞成户数过半，按方案实施"})).json()
        assert answered["status"] == "accepted" and answered["answer"] == "赞成户数过半，按方案实施"
        assert [t["to_status"] for t in answered["transitions"]] == ["evaluating", "accepted"]
        assert (await client.post(f"/plans/{plan['id']}/reject", json={"reason": "x"},
                                  headers=STAFF)).status_code == 409
        assert (await client.post(f"/plans/{plan['id']}/comments", json={"body": "x"},
                                  headers=resident(1))).status_code == 409
        # Satisfaction waits for the works to be completed.
        r = await client.put(f"/plans/{plan['id']}/ratings/mine", json={"score": 5}, headers=resident(1))
        assert r.status_code == 409 and "completed" in r.json()["detail"]
        await advance(client, p["id"], "approve", "start", "complete")
        r = await client.put(f"/plans/{plan['id']}/ratings/mine", json={"score": 6}, headers=resident(1))
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "score"
        assert (await client.put(f"/plans/{plan['id']}/ratings/mine", json={"score": 3},
                                 headers=resident(1))).status_code == 200
        await client.put(f"/plans/{plan['id']}/ratings/mine", json={"score": 5}, headers=resident(2))  # same home
        await client.put(f"/plans/{plan['id']}/ratings/mine", json={"score": 4}, headers=resident(4))
        assert (await client.get(f"/plans/{plan['id']}/ratings/mine", headers=resident(1))).json()["score"] == 5
        sat = (await results(client, plan["id"], headers=resident(4)))["satisfaction"]
        assert sat == {"ratings": 2, "average": 4.5, "distribution": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}}
        # The overview's running totals agree with the ratings (a replaced rating counts once).
        figures = (await client.get("/stats/overview", headers=STAFF)).json()["figures"]
        assert (figures["satisfaction_ratings"], figures["satisfaction_avg"]) == (2, 4.5)
        assert figures["households_voted"] == 1


async def test_plan_input_rules(make_client):
    async with make_client() as client:
        set_clock(client, at("2026-04-01T00:00:00"))
        a = await estate(client)
        b = await estate(client, community_code=CHAODU)
        cases = [({"estate_ids": []}, "estate_ids", 422), ({"estate_ids": [a["id"], b["id"]]}, "estate_ids", 422),
                 ({"estate_ids": ["00000000-0000-4000-8000-000000000000"]}, "estate_ids", 404),
                 ({"estate_ids": [a["id"]], "voting_closes_on": "2026-03-01"}, "voting_closes_on", 422),
                 ({"project_id": "00000000-0000-4000-8000-000000000000"}, "project_id", 404)]
        for extra, field, status in cases:
            r = await client.post("/plans", json={"title": "t", "summary": "s", **extra}, headers=STAFF)
            assert r.status_code == status, (extra, r.text)
            assert r.json()["errors"][0]["field"] == field
        assert (await client.get("/plans", headers=STAFF)).json()["items"] == []
        r = await client.post("/plans", json={"title": "t", "summary": "s", "estate_ids": [a["id"]],
                                              "voting_closes_on": "2026-04-10"}, headers=STAFF)
        plan = r.json()
        await household(client, a["id"], "1", 1)
        set_clock(client, at("2026-04-11T00:00:00"))
        assert (await vote(client, plan["id"], 1, "for")).status_code == 409  # past the closing date
