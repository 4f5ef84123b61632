"""The closed loop (登记—主动服务—后续跟踪) end to end, its follow-up worklist, and its refusals."""

from datetime import UTC, datetime

import pytest

from services.jobs.tests.helpers import (
    APPROVER,
    AUDITOR,
    CHENGXIANG,
    NINGWEI,
    OFFICER,
    T0,
    as_resident,
    at,
    employer,
    events,
    id_number,
    seeker,
    vacancy,
)
from shared.testing import identity_headers


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(hour=2, tzinfo=UTC)


async def test_registration_to_closed_loop_with_follow_up_worklist(make_client, db_backend):
    async with make_client(db_backend) as client:
        at(client, T0)
        s = await seeker(client, priority_groups=["older_unemployed"], born=datetime(1972, 3, 4).date(),
                         skills=["电工", "焊工"], desired_posts=["电工"])
        assert s["stage"] == "registered" and s["caseworker"] == "officer-zhang"
        registered = await events(client, "jobs.seeker.registered")
        assert registered[0]["data"]["person_ref"] == s["person_ref"]
        assert "id_number" not in registered[0]["data"] and s["name"] not in str(registered[0])

        # Proactive service: an unanswered call is not contact; a reached one is.
        r = await client.post(f"/seekers/{s['id']}/contacts", json={"channel": "phone", "outcome": "no_answer"},
                              headers=OFFICER)
        assert r.status_code == 201
        assert (await client.get(f"/seekers/{s['id']}", headers=OFFICER)).json()["last_contact_at"] is None
        await client.post(f"/seekers/{s['id']}/contacts", json={"channel": "phone", "outcome": "agreed_to_visit"},
                          headers=OFFICER)

        # The first act of service starts service; a recommendation names an open vacancy.
        v = await vacancy(client, (await employer(client))["id"])
        r = await client.post(f"/seekers/{s['id']}/acts", json={"kind": "job_recommendation", "vacancy_id": v["id"]},
                              headers=OFFICER)
        assert r.status_code == 201, r.text
        assert r.json()["status"] == "open"
        for kind in ("policy_explanation", "career_guidance", "training_referral"):
            assert (await client.post(f"/seekers/{s['id']}/acts", json={"kind": kind}, headers=OFFICER)).status_code \
                == 201
        got = (await client.get(f"/seekers/{s['id']}", headers=OFFICER)).json()
        assert got["stage"] == "in_service"
        acts = (await client.get(f"/seekers/{s['id']}/acts", headers=OFFICER)).json()["items"]
        assert {a["kind"] for a in acts} == {"job_recommendation", "policy_explanation", "career_guidance",
                                              "training_referral"}

        at(client, day("2026-03-10"))
        r = await client.post("/placements", json={"seeker_id": s["id"], "vacancy_id": v["id"],
                                                   "monthly_salary_fen": 650_000}, headers=OFFICER)
        assert r.status_code == 201, r.text
        placement = r.json()
        assert placement["assisted"] is True and placement["placement_type"] == "market"
        assert [(f["month"], f["due_on"]) for f in placement["follow_ups"]] == [
            (1, "2026-04-10"), (3, "2026-06-10"), (6, "2026-09-10")]
        acts = (await client.get(f"/seekers/{s['id']}/acts", headers=OFFICER)).json()["items"]
        assert next(a for a in acts if a["kind"] == "job_recommendation")["status"] == "accepted"
        assert (await client.get(f"/vacancies/{v['id']}", headers=OFFICER)).json()["filled"] == 1

        # The worklist shows the 1-month follow-up coming up, then overdue per caseworker and street.
        at(client, day("2026-04-05"))
        work = (await client.get("/worklist/follow-ups", headers=OFFICER)).json()
        assert [(i["seeker_id"], i["month"], i["overdue"]) for i in work["items"]] == [(s["id"], 1, False)]
        at(client, day("2026-04-20"))
        work = (await client.get("/worklist/follow-ups", params={"overdue_only": "true", "caseworker": "officer-zhang"},
                                 headers=OFFICER)).json()
        assert [(i["month"], i["days_overdue"]) for i in work["items"]] == [(1, 10)]
        summary = (await client.get("/worklist/summary", headers=AUDITOR)).json()
        assert summary["by_caseworker"][0]["key"] == "officer-zhang"
        assert summary["by_caseworker"][0]["follow_ups_overdue"] == 1
        assert summary["by_street"][0] == {"key": NINGWEI, "name": "宁围街道", "follow_ups_overdue": 1,
                                           "follow_ups_due_soon": 0, "seekers_without_contact": 0}
        overview = (await client.get("/stats/overview", headers=AUDITOR)).json()["figures"]
        assert overview["follow_ups_overdue"] == 1

        url = f"/placements/{placement['id']}/follow-ups"
        assert (await client.post(f"{url}/1", json={"outcome": "employed"}, headers=OFFICER)).status_code == 200
        r = await client.post(f"{url}/3", json={"outcome": "employed"}, headers=OFFICER)
        assert r.status_code == 409 and "2026-06-10" in r.json()["detail"]  # two months early
        assert (await client.post(f"{url}/1", json={"outcome": "employed"}, headers=OFFICER)).status_code == 409
        at(client, day("2026-06-08"))
        assert (await client.post(f"{url}/3", json={"outcome": "employed"}, headers=OFFICER)).status_code == 200
        at(client, day("2026-09-11"))
        r = await client.post(f"{url}/6", json={"outcome": "employed", "note": "转正"}, headers=OFFICER)
        assert r.status_code == 200, r.text
        got = (await client.get(f"/seekers/{s['id']}", headers=OFFICER)).json()
        assert got["stage"] == "followed_up" and got["closed_at"] is not None
        assert [c["to_stage"] for c in got["stage_changes"]] == ["registered", "in_service", "placed", "followed_up"]
        assert (await client.get("/worklist/follow-ups", headers=OFFICER)).json()["items"] == []

        # A closed loop takes no more service until it is reopened.
        r = await client.post(f"/seekers/{s['id']}/acts", json={"kind": "career_guidance"}, headers=OFFICER)
        assert r.status_code == 409 and r.headers["content-type"] == "application/problem+json"
        r = await client.post(f"/seekers/{s['id']}/reopen", json={"reason": "企业裁员"}, headers=OFFICER)
        assert r.status_code == 200 and r.json()["stage"] == "in_service"

        figures = (await client.get("/stats/overview", params={"year": 2026}, headers=APPROVER)).json()["figures"]
        assert figures["new_urban_jobs"] == 1 and figures["people_helped_into_work"] == 1
        assert figures["people_helped_from_assistance_groups"] == 1
        assert figures["seekers_in_service"] == 1 and figures["follow_ups_overdue"] == 0


async def test_refused_transitions_are_409_and_change_nothing(make_client):
    async with make_client() as client:
        at(client, T0)
        s = await seeker(client)
        r = await client.post(f"/seekers/{s['id']}/reopen", json={"reason": "x"}, headers=OFFICER)
        assert r.status_code == 409 and r.json()["type"].endswith("/conflict")
        # Self-found work: placed straight from registered, not counted as helped.
        r = await client.post("/placements", json={"seeker_id": s["id"], "placement_type": "self_employed"},
                              headers=OFFICER)
        assert r.status_code == 201 and r.json()["assisted"] is False
        placement = r.json()
        r = await client.post("/placements", json={"seeker_id": s["id"], "placement_type": "self_employed"},
                              headers=OFFICER)
        assert r.status_code == 409
        r = await client.post(f"/seekers/{s['id']}/acts", json={"kind": "job_recommendation",
                                                                 "vacancy_id": placement["id"]}, headers=OFFICER)
        assert r.status_code == 409  # a placed person gets no job recommendation
        # A closed vacancy cannot be filled or recommended; closing twice is refused.
        v = await vacancy(client, (await employer(client))["id"], headcount=1)
        assert (await client.post(f"/vacancies/{v['id']}/close", headers=OFFICER)).status_code == 200
        assert (await client.post(f"/vacancies/{v['id']}/close", headers=OFFICER)).status_code == 409
        other = await seeker(client)
        r = await client.post("/placements", json={"seeker_id": other["id"], "vacancy_id": v["id"]}, headers=OFFICER)
        assert r.status_code == 409
        assert (await client.get(f"/seekers/{other['id']}", headers=OFFICER)).json()["stage"] == "registered"
        assert (await client.get(f"/vacancies/{v['id']}", headers=OFFICER)).json()["filled"] == 0
        # A follow-up that finds the person out of work ends the placement and sends them back to service.
        at(client, datetime(2026, 4, 3, tzinfo=UTC))
        r = await client.post(f"/placements/{placement['id']}/follow-ups/1", json={"outcome": "not_employed"},
                              headers=OFFICER)
        assert r.status_code == 200
        body = r.json()
        assert body["status"] == "ended" and [f["status"] for f in body["follow_ups"]] == ["done", "cancelled",
                                                                                           "cancelled"]
        assert (await client.get(f"/seekers/{s['id']}", headers=OFFICER)).json()["stage"] == "in_service"
        r = await client.post(f"/placements/{placement['id']}/follow-ups/3", json={"outcome": "employed"},
                              headers=OFFICER)
        assert r.status_code == 409


@pytest.mark.parametrize("bad", ["330109199005010018", "33010919900501001", "330109199013010019", "ABCDEFGHIJKLMNOPQR"])
async def test_invalid_id_number_is_422_naming_the_field(make_client, bad):
    async with make_client() as client:
        r = await client.post("/seekers", json={"id_number": bad, "name": "张三", "street_code": NINGWEI},
                              headers=OFFICER)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["id_number"]
        assert (await client.get("/seekers", headers=OFFICER)).json()["items"] == []


async def test_registration_rules_name_their_field(make_client):
    async with make_client() as client:
        at(client, T0)
        cases = [
            ({"id_number": id_number(1, datetime(1950, 1, 1).date())}, "id_number"),  # past retirement age
            ({"priority_groups": ["older_unemployed"]}, "priority_groups"),  # 35 years old
            ({"street_code": "330109999"}, "street_code"),
            ({"phone": "12345"}, "phone"),
            ({"community_code": "330109001001"}, "community_code"),  # a community of another street
        ]
        for overrides, field in cases:
            body = {"id_number": id_number(2), "name": "张三", "street_code": NINGWEI, **overrides}
            r = await client.post("/seekers", json=body, headers=OFFICER)
            assert r.status_code == 422, (overrides, r.text)
            assert r.json()["errors"][0]["field"] == field
        first = await seeker(client, seq=3)
        r = await client.post("/seekers", json={"id_number": id_number(3), "name": "重复", "street_code": NINGWEI},
                              headers=OFFICER)
        assert r.status_code == 409 and first["id"] in r.json()["detail"]


async def test_a_resident_sees_only_their_own_record(make_client):
    async with make_client() as client:
        at(client, T0)
        mine = await seeker(client, seq=11)
        theirs = await seeker(client, seq=12)
        me = as_resident(id_number(11))
        listed = (await client.get("/seekers", headers=me)).json()["items"]
        assert [s["id"] for s in listed] == [mine["id"]]
        assert (await client.get(f"/seekers/{theirs['id']}", headers=me)).status_code == 404
        assert (await client.get(f"/seekers/{theirs['id']}/acts", headers=me)).status_code == 404
        assert (await client.get(f"/seekers/{theirs['id']}/matches", headers=me)).status_code == 404
        own = (await client.get("/seekers/me", headers=me)).json()
        assert own["id"] == mine["id"] and own["id_number"] != id_number(11) and own["identity_masked"] is True
        assert (await client.get(f"/seekers/{mine['id']}", headers=me)).status_code == 200
        stranger = as_resident(id_number(13), subject="stranger")
        assert (await client.get("/seekers", headers=stranger)).json()["items"] == []
        assert (await client.get("/seekers/me", headers=stranger)).status_code == 404
        # Residents write nothing here; staff lists mask identifiers; the auditor sees masked values only.
        r = await client.post(f"/seekers/{mine['id']}/acts", json={"kind": "career_guidance"}, headers=me)
        assert r.status_code == 403
        audited = (await client.get(f"/seekers/{mine['id']}", headers=AUDITOR)).json()
        assert audited["identity_masked"] and audited["id_number"].startswith("330") and "*" in audited["id_number"]
        assert audited["phone"] == "138****5678" and audited["name"].endswith("*")
        row = (await client.get("/seekers", headers=OFFICER)).json()["items"][0]
        assert "*" in row["id_number"] and not row["name"].endswith("*")
        full = (await client.get(f"/seekers/{mine['id']}", headers=OFFICER)).json()
        assert full["id_number"] != id_number(11) and not full["name"].endswith("*")  # revealed on request only
        log = (await client.get("/audit", params={"person_ref": mine["person_ref"]}, headers=AUDITOR)).json()["items"]
        assert {(e["actor"], e["action"]) for e in log} >= {("officer-zhang", "read"), ("officer-zhang", "create")}
        assert all(id_number(11) not in str(e) for e in log)


async def test_recommendations_expire_and_silent_seekers_are_flagged(make_client):
    async with make_client(recommendation_ttl_days=14, no_contact_days=30) as client:
        at(client, T0)
        quiet = await seeker(client)
        served = await seeker(client)
        v = await vacancy(client, (await employer(client))["id"])
        r = await client.post(f"/seekers/{served['id']}/acts", json={"kind": "job_recommendation",
                                                                     "vacancy_id": v["id"]}, headers=OFFICER)
        act = r.json()
        again = await client.post(f"/seekers/{served['id']}/acts", json={"kind": "job_recommendation",
                                                                         "vacancy_id": v["id"]}, headers=OFFICER)
        assert again.status_code == 409  # one open recommendation of a vacancy at a time
        at(client, datetime(2026, 3, 20, tzinfo=UTC))
        assert (await client.post("/recommendations/expire", headers=OFFICER)).json() == {"expired": 1}
        r = await client.post(f"/acts/{act['id']}/response", json={"answer": "accept"}, headers=OFFICER)
        assert r.status_code == 409 and "expired" in r.json()["detail"]
        await client.post(f"/seekers/{served['id']}/contacts", json={"channel": "visit", "outcome": "reached"},
                          headers=OFFICER)
        at(client, datetime(2026, 4, 5, tzinfo=UTC))
        flagged = (await client.get("/worklist/no-contact", headers=OFFICER)).json()
        assert [i["seeker_id"] for i in flagged["items"]] == [quiet["id"]]
        assert flagged["items"][0]["days_without_contact"] == 33
        wider = (await client.get("/worklist/no-contact", params={"days": 10}, headers=OFFICER)).json()
        assert {i["seeker_id"] for i in wider["items"]} == {quiet["id"], served["id"]}


async def test_street_bound_staff_and_auditors_stay_in_their_lane(make_client):
    async with make_client() as client:
        at(client, T0)
        mine = await seeker(client)
        other = await seeker(client, street_code=CHENGXIANG)
        local = identity_headers("jobs", subject="ningwei-officer", street_code=NINGWEI)
        listed = (await client.get("/seekers", headers=local)).json()["items"]
        assert [s["id"] for s in listed] == [mine["id"]]
        assert (await client.get(f"/seekers/{other['id']}", headers=local)).status_code == 403
        assert (await client.get("/seekers", params={"street_code": CHENGXIANG}, headers=local)).status_code == 403
        r = await client.post(f"/seekers/{other['id']}/acts", json={"kind": "career_guidance"}, headers=local)
        assert r.status_code == 403
        assert (await client.get(f"/seekers/{other['id']}/acts", headers=OFFICER)).json()["items"] == []
        # An auditor reads but never writes, not even a seeker's answer to a recommendation.
        v = await vacancy(client, (await employer(client))["id"])
        act = (await client.post(f"/seekers/{mine['id']}/acts", json={"kind": "job_recommendation",
                                                                      "vacancy_id": v["id"]}, headers=OFFICER)).json()
        assert (await client.post(f"/acts/{act['id']}/response", json={"answer": "decline"},
                                  headers=AUDITOR)).status_code == 403
        assert (await client.post("/seekers", json={}, headers=AUDITOR)).status_code == 403
        r = await client.post(f"/acts/{act['id']}/response", json={"answer": "decline", "note": "离家太远"},
                              headers=as_resident(id_number(999)))
        assert r.status_code == 404  # someone else's recommendation
