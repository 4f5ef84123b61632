"""The overview's figures equal a hand count of the rows after a series of registrations, services, placements
and follow-ups, on both backends; the seeker tallies behind them equal a rebuild from the rows."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.jobs.placements.models import Placement
from services.jobs.seekers.models import Seeker
from services.jobs.seekers.rules import ACTIVE_STAGES, STAGES
from services.jobs.stats import tallies
from services.jobs.stats.models import SeekerTally
from services.jobs.tests.helpers import (
    AUDITOR,
    CHENGXIANG,
    NINGWEI,
    OFFICER,
    at,
    employer,
    place,
    seeker,
    serve,
    vacancy,
)
from shared.database import unit_of_work

NO_CONTACT_DAYS = 30  # the service's default


def when(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def _hand_count(client, *, year: int | None, street: str | None, now: datetime) -> dict:
    """The figures counted in Python from every seeker and placement row."""
    async with client.app.state.session_factory() as session:
        seekers = (await session.execute(select(
            Seeker.street_code, Seeker.stage, Seeker.registered_at, Seeker.last_contact_at))).all()
        placements = (await session.execute(select(
            Placement.street_code, Placement.placed_on, Placement.placement_type, Placement.assisted,
            Placement.priority, Placement.seeker_id))).all()
    seekers = [s for s in seekers if street in (None, s.street_code)]
    stages = Counter(s.stage for s in seekers)
    quiet_since = now - timedelta(days=NO_CONTACT_DAYS)
    placed = [p for p in placements if street in (None, p.street_code) and year in (None, p.placed_on.year)]
    kinds = Counter(p.placement_type for p in placed)
    return {
        "seekers_newly_registered": sum(1 for s in seekers if year in (None, s.registered_at.year)),
        **{f"seekers_{stage}": stages[stage] for stage in STAGES},
        "seekers_without_contact": sum(1 for s in seekers if s.stage in ACTIVE_STAGES
                                       and (s.last_contact_at or s.registered_at) < quiet_since),
        "new_urban_jobs": len(placed),
        "public_welfare_placements": kinds["public_welfare"],
        "people_helped_into_work": len({p.seeker_id for p in placed if p.assisted}),
        "people_helped_from_assistance_groups": len({p.seeker_id for p in placed if p.assisted and p.priority}),
        "by_type": {kind: kinds[kind] for kind in ("market", "public_welfare", "self_employed")},
    }


async def _assert_figures_equal_hand_counts(client, now: datetime) -> None:
    at(client, now)
    for year in (None, 2025, 2026):
        for street in (None, NINGWEI, CHENGXIANG):
            params = {k: v for k, v in (("year", year), ("street_code", street)) if v}
            body = (await client.get("/stats/overview", params=params, headers=AUDITOR)).json()
            expected = await _hand_count(client, year=year, street=street, now=now)
            by_type = expected.pop("by_type")
            got = {name: body["figures"][name] for name in expected}
            assert got == expected, (year, street)
            assert body["breakdowns"]["placements_by_type"] == by_type
            assert body["breakdowns"]["seekers_by_stage"] == {s: expected[f"seekers_{s}"] for s in STAGES}


async def _tally_rows(client) -> set[tuple]:
    async with client.app.state.session_factory() as session:
        return {tuple(r) for r in (await session.execute(select(
            SeekerTally.street_code, SeekerTally.stage, SeekerTally.registered_year, SeekerTally.seekers)
            .where(SeekerTally.seekers != 0))).all()}


async def test_overview_figures_equal_a_recount_through_the_loop(make_client, db_backend):
    async with make_client(db_backend) as client:
        # Two registered in the last half hour of 2025 (UTC), the rest in 2026, in two streets.
        at(client, when("2025-12-31T23:30:00"))
        year_end = [await seeker(client), await seeker(client, street_code=CHENGXIANG)]
        at(client, when("2026-03-02T01:00:00"))
        served, self_employed, lost, quiet = [await seeker(client) for _ in range(4)]
        elsewhere = await seeker(client, street_code=CHENGXIANG, priority_groups=["land_expropriated"])
        post = await vacancy(client, (await employer(client))["id"])
        await _assert_figures_equal_hand_counts(client, when("2026-03-02T02:00:00"))

        at(client, when("2026-03-05T01:00:00"))
        await serve(client, served["id"])
        await serve(client, elsewhere["id"])
        await serve(client, year_end[0]["id"])
        at(client, when("2026-03-10T01:00:00"))
        market = await place(client, served["id"], vacancy_id=post["id"], monthly_salary_fen=600_000)
        await place(client, self_employed["id"], placement_type="self_employed")
        gone = await place(client, lost["id"], placement_type="self_employed")
        await place(client, elsewhere["id"], placement_type="self_employed")
        await _assert_figures_equal_hand_counts(client, when("2026-03-20T01:00:00"))

        # Follow-ups: one out of work again (back in service), one closed after six months, then reopened.
        at(client, when("2026-04-10T03:00:00"))
        r = await client.post(f"/placements/{gone['id']}/follow-ups/1", json={"outcome": "not_employed"},
                              headers=OFFICER)
        assert r.status_code == 200, r.text
        for month, day in ((1, "2026-04-10"), (3, "2026-06-10"), (6, "2026-09-10")):
            at(client, when(f"{day}T03:00:00"))
            r = await client.post(f"/placements/{market['id']}/follow-ups/{month}", json={"outcome": "employed"},
                                  headers=OFFICER)
            assert r.status_code == 200, r.text
        await _assert_figures_equal_hand_counts(client, when("2026-09-11T01:00:00"))
        at(client, when("2026-10-01T01:00:00"))
        r = await client.post(f"/seekers/{served['id']}/reopen", json={"reason": "企业裁员"}, headers=OFFICER)
        assert r.status_code == 200 and r.json()["stage"] == "in_service"
        # A refused move (a placed seeker cannot be reopened) leaves every tally as it was.
        before = await _tally_rows(client)
        r = await client.post(f"/seekers/{self_employed['id']}/reopen", json={"reason": "x"}, headers=OFFICER)
        assert r.status_code == 409
        assert await _tally_rows(client) == before
        await _assert_figures_equal_hand_counts(client, when("2026-10-01T02:00:00"))
        await _assert_figures_equal_hand_counts(client, when("2026-04-01T02:00:00"))  # quiet seekers, earlier
        assert quiet["stage"] == "registered"

        # The tallies kept along the way are those a rebuild from the rows gives.
        kept = await _tally_rows(client)
        async with client.app.state.session_factory() as session, unit_of_work(session):
            await tallies.rebuild(session)
        assert await _tally_rows(client) == kept
        assert sum(n for *_, n in kept) == 7
