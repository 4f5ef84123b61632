"""Retention: seekers quiet for years are anonymised, the statistics keep every count, open work is skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime

from sqlalchemy import func, select, update

from services.jobs.db import AuditEntry, OutboxMessage
from services.jobs.households.models import Household, HouseholdMember
from services.jobs.retention import POLICY
from services.jobs.seekers.models import Seeker
from services.jobs.tests.helpers import AUDITOR, NINGWEI, OFFICER, ZHENNING, at, id_number, place, ref_of, seeker
from shared.migrate import ROOT
from shared.retention import anonymise_inactive
from shared.testing import eventually

CUTOFF = date(2020, 1, 1)
LONG_AGO = datetime(2015, 3, 2, 1, 0, tzinfo=UTC)


async def _overviews(client) -> list[dict]:
    out = []
    for params in ({}, {"year": 2015}, {"year": 2025}, {"street_code": NINGWEI}):
        body = (await client.get("/stats/overview", params=params, headers=AUDITOR)).json()
        body.pop("generated_at")
        out.append(body)
    return out


async def _run(client, **kwargs):
    return await anonymise_inactive(client.app.state.session_factory, POLICY, cutoff=CUTOFF, audit_model=AuditEntry,
                                    outbox_model=OutboxMessage, **kwargs)


async def _seekers(client) -> dict[str, dict]:
    async with client.app.state.session_factory() as session:
        rows = (await session.scalars(select(Seeker))).all()
    return {str(s.id): {c: getattr(s, c) for c in ("id_number", "name", "phone", "birth_date", "person_ref",
                                                    "community_code", "stage", "street_code")} for s in rows}


async def _build(client) -> dict[str, dict]:
    at(client, LONG_AGO)
    household = (await client.post("/households", json={
        "street_code": NINGWEI, "community_code": ZHENNING, "label": "振宁3幢2单元",
        "members": [{"id_number": id_number(71, date(1970, 6, 15)), "employed": False}]}, headers=OFFICER)).json()
    quiet = await seeker(client, seq=71, born=date(1970, 6, 15), household_id=household["id"],
                         community_code=ZHENNING)
    await client.post(f"/seekers/{quiet['id']}/acts", json={"kind": "career_guidance", "note": "王阿姨说女儿在杭州"},
                      headers=OFFICER)
    placement = await place(client, quiet["id"], placement_type="self_employed")
    busy = await seeker(client, seq=72)
    await place(client, busy["id"], placement_type="self_employed")  # its follow-ups are still pending
    for month in (1, 3, 6):
        at(client, datetime(2015, 3 + month, 5, tzinfo=UTC))
        r = await client.post(f"/placements/{placement['id']}/follow-ups/{month}", json={"outcome": "employed",
                              "note": "本人电话确认"}, headers=OFFICER)
        assert r.status_code == 200, r.text
    returning = await seeker(client, seq=73)
    at(client, datetime(2025, 5, 1, tzinfo=UTC))
    await client.post(f"/seekers/{returning['id']}/acts", json={"kind": "policy_explanation"}, headers=OFFICER)
    recent = await seeker(client, seq=74)
    return {"quiet": quiet, "busy": busy, "returning": returning, "recent": recent, "household": household}


async def test_quiet_seekers_are_anonymised_and_every_count_stays(make_client, db_backend):
    async with make_client(db_backend) as client:
        people = await _build(client)
        at(client, datetime(2026, 11, 1, tzinfo=UTC))
        before_stats = await _overviews(client)
        before = await _seekers(client)

        dry = await _run(client, dry_run=True)
        assert (dry.inactive, dry.anonymised, dry.skipped_open_work) == (2, 1, 1)
        assert await _seekers(client) == before

        report = await _run(client, batch_size=1)
        assert (report.inactive, report.anonymised, report.skipped_open_work, report.batches) == (2, 1, 1, 2)
        assert await _overviews(client) == before_stats

        after = await _seekers(client)
        quiet, old = after[people["quiet"]["id"]], before[people["quiet"]["id"]]
        assert quiet["name"] == "已匿名" and quiet["phone"] is None and quiet["community_code"] is None
        assert quiet["id_number"].startswith("ANON") and quiet["id_number"] != old["id_number"]
        assert quiet["birth_date"] == date(1970, 1, 1)
        assert quiet["person_ref"].startswith("anon_") and quiet["person_ref"] != ref_of(id_number(71))
        assert (quiet["stage"], quiet["street_code"]) == (old["stage"], old["street_code"])
        for key in ("busy", "returning", "recent"):
            assert after[people[key]["id"]] == before[people[key]["id"]]

        acts = (await client.get(f"/seekers/{people['quiet']['id']}/acts", headers=OFFICER)).json()["items"]
        assert acts and all(a.get("note") is None for a in acts)
        async with client.app.state.session_factory() as session:
            member = (await session.execute(select(HouseholdMember))).scalars().one()
            label = await session.scalar(select(Household.label))
            audits = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "anonymise"))).all()
        # The household's member now carries the same opaque ref: counts by person still add up, the link is gone.
        assert member.person_ref == quiet["person_ref"] and member.birth_date == date(1970, 1, 1)
        assert label is None
        assert len(audits) == 1 and audits[0].person_ref is None
        assert "anonymised 1" in audits[0].reason and "skipped 1" in audits[0].reason

        again = await _run(client)
        assert (again.anonymised, again.skipped_open_work) == (0, 1)
        assert await _seekers(client) == after
        assert await _overviews(client) == before_stats


async def test_delivered_events_older_than_the_cutoff_are_pruned(make_client):
    async with make_client("postgresql") as client:
        at(client, LONG_AGO)
        await seeker(client, seq=75)

        async def all_published():
            async with client.app.state.session_factory() as session:
                return not await session.scalar(select(func.count()).select_from(OutboxMessage)
                                                .where(OutboxMessage.published_at.is_(None)))

        await eventually(all_published)
        async with client.app.state.session_factory() as session, session.begin():
            # The relay published them at wall-clock time; age them as if published in 2015.
            await session.execute(update(OutboxMessage).where(OutboxMessage.published_at.is_not(None))
                                  .values(published_at=LONG_AGO))
            aged = await session.scalar(select(func.count()).select_from(OutboxMessage))
        report = await _run(client)
        assert report.anonymised == 1 and report.outbox_pruned == aged > 0
        async with client.app.state.session_factory() as session:
            assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def _command(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JOBS_DATABASE_URL": url, "MINSHENG_LOG_JSON": "true"}
    return subprocess.run([sys.executable, "-m", "services.jobs.retention", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


async def test_the_command_prints_counts_and_logs_no_personal_data(database_url_for):
    url = await database_url_for("jobs", "sqlite")
    dry = _command("--before", "2020-01-01", "--dry-run", url=url)
    assert dry.returncode == 0, dry.stderr
    assert "would anonymise 0" in dry.stdout
    refused = _command("--before", "2099-01-01", url=url)
    assert refused.returncode == 2 and "--before" in refused.stderr
    bad = _command("--before", "01/01/2020", url=url)
    assert bad.returncode == 2 and "--before" in bad.stderr
    done = _command(url=url)  # the default cutoff: JOBS_RETENTION_YEARS (5) before today
    assert done.returncode == 0, done.stderr
    assert "anonymised 0" in done.stdout and '"msg": "retention run"' in done.stderr
