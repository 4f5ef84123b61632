"""Retention: households quiet for years lose their residents' refs and words; votes, ratings and tallies stay."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from services.renovation.db import AuditEntry, OutboxMessage
from services.renovation.estates.models import Household, HouseholdMember
from services.renovation.participation.models import Comment
from services.renovation.retention import POLICY
from services.renovation.tests import factories as fx
from shared.retention import anonymise_inactive

CUTOFF = date(2022, 1, 1)


async def _figures(client, plan_ids: list[str]) -> list[dict]:
    out = []
    for path, params in (("/stats/overview", {}), ("/stats/overview", {"year": 2018}), ("/stats/by-street", {})):
        body = (await client.get(path, params=params, headers=fx.AUDITOR)).json()
        body.pop("generated_at", None)
        out.append(body)
    for plan_id in plan_ids:
        out.append((await client.get(f"/plans/{plan_id}/results", headers=fx.STAFF)).json())
    return out


async def _refs(client) -> dict[str, set[str]]:
    async with client.app.state.session_factory() as session:
        rows = (await session.execute(select(Household.label, HouseholdMember.person_ref)
                                      .join(HouseholdMember, HouseholdMember.household_id == Household.id))).all()
    out: dict[str, set[str]] = {}
    for label, person in rows:
        out.setdefault(label, set()).add(person)
    return out


async def _plan(client, project_id: str) -> dict:
    r = await client.post("/plans", headers=fx.STAFF, json={"title": "加装电梯方案", "summary": "方案全文……",
                                                          "project_id": project_id})
    assert r.status_code == 201, r.text
    return r.json()


async def _run(client, **kwargs):
    return await anonymise_inactive(client.app.state.session_factory, POLICY, cutoff=CUTOFF, audit_model=AuditEntry,
                                    outbox_model=OutboxMessage, **kwargs)


async def test_quiet_households_are_anonymised_and_results_keep_their_counts(make_client, db_backend):
    async with make_client(db_backend) as client:
        fx.set_clock(client, fx.at("2018-04-01T00:00:00"))
        a = await fx.estate(client)
        await fx.household(client, a["id"], "1幢101", 1, 2)
        await fx.household(client, a["id"], "1幢102", 3)
        await fx.household(client, a["id"], "1幢103", 5)
        dates = {"planned_start": "2018-05-01", "planned_end": "2018-12-31"}
        done, pending = await fx.project(client, [a["id"]], **dates), await fx.project(client, [a["id"]], **dates)
        decided, still_open = await _plan(client, done["id"]), await _plan(client, pending["id"])
        for who, choice in ((1, "for"), (3, "against")):
            r = await client.put(f"/plans/{decided['id']}/votes/mine", json={"choice": choice},
                                 headers=fx.resident(who))
            assert r.status_code == 200, r.text
        r = await client.post(f"/plans/{decided['id']}/comments", json={"body": "3单元的老张家不同意"},
                              headers=fx.resident(3))
        assert r.status_code == 201, r.text
        await client.post(f"/plans/{decided['id']}/comments", json={"body": "已记录"}, headers=fx.STAFF)
        assert (await client.put(f"/plans/{still_open['id']}/votes/mine", json={"choice": "for"},
                                 headers=fx.resident(5))).status_code == 200
        fx.set_clock(client, fx.at("2018-04-20T00:00:00"))
        await client.post(f"/plans/{decided['id']}/close", headers=fx.STAFF)
        r = await client.post(f"/plans/{decided['id']}/accept", json={"reason": "赞成过半"}, headers=fx.STAFF)
        assert r.status_code == 200, r.text
        await fx.advance(client, done["id"], "approve", "start", "complete")
        assert (await client.put(f"/plans/{decided['id']}/ratings/mine", json={"score": 4},
                                 headers=fx.resident(1))).status_code == 200
        async with client.app.state.session_factory() as session, session.begin():
            # Registration times are the wall clock, not the service clock: register them in 2018 as told.
            await session.execute(update(Household).values(registered_at=fx.at("2018-04-01T00:00:00")))
            await session.execute(update(HouseholdMember).values(added_at=fx.at("2018-04-01T00:00:00")))

        fx.set_clock(client, fx.at("2026-11-01T00:00:00"))
        before_figures = await _figures(client, [decided["id"], still_open["id"]])
        report = await _run(client, batch_size=2)
        # 103 voted on a plan still open: its decision is pending, so the household keeps its refs.
        assert (report.inactive, report.anonymised, report.skipped_open_work) == (3, 2, 1)
        assert await _figures(client, [decided["id"], still_open["id"]]) == before_figures

        refs = await _refs(client)
        assert all(r.startswith("anon_") for r in refs["1幢101"] | refs["1幢102"]) and len(refs["1幢101"]) == 2
        assert refs["1幢103"] == {fx.ref(5)}
        assert fx.ref(1) not in str(refs) and fx.ref(3) not in str(refs)
        async with client.app.state.session_factory() as session:
            comments = dict((await session.execute(select(Comment.author_kind, Comment.body))).all())
            audits = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "anonymise"))).all()
        assert comments == {"resident": "[已匿名]", "staff": "已记录"}
        assert len(audits) == 1 and audits[0].resource_type == "household"
        # A resident who comes back is a new registration: the old household no longer knows them.
        mine = await client.get(f"/plans/{decided['id']}/votes/mine", headers=fx.resident(1))
        assert mine.status_code in (403, 404)

        again = await _run(client)
        assert (again.inactive, again.anonymised, again.skipped_open_work) == (1, 0, 1)
        assert await _refs(client) == refs
