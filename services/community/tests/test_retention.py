"""Retention: residents quiet for years are anonymised, the overview keeps its counts, open work is skipped."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select, update

from services.community.canteen.models import MealOrder
from services.community.db import AuditEntry, OutboxMessage
from services.community.residents.models import Household, Resident
from services.community.retention import POLICY
from services.community.tests.helpers import AUDITOR, HUB, STAFF, fix_time, household, kit, member, station
from shared.retention import anonymise_inactive

CUTOFF = date(2022, 1, 1)
MONDAY_2018 = datetime(2018, 3, 5, 1, 0, tzinfo=UTC)  # 09:00 in Hangzhou, before the lunch cut-off


async def _overviews(client) -> list[dict]:
    out = []
    for params in ({}, {"year": 2018}, {"year": 2025}):
        r = await client.get("/stats/overview", params=params, headers=AUDITOR)
        assert r.status_code == 200, r.text
        body = r.json()
        body.pop("generated_at", None)
        out.append(body)
    return out


async def _snapshot(client) -> dict[str, dict]:
    async with client.app.state.session_factory() as session:
        residents = (await session.scalars(select(Resident))).all()
        households = {h.id: h for h in (await session.scalars(select(Household))).all()}
    return {str(r.id): {"name": r.name, "phone": r.phone, "id_number": r.id_number, "birth_date": r.birth_date,
                        "person_ref": r.person_ref, "street_code": r.street_code, "low_income": r.low_income,
                        "address": households[r.household_id].address,
                        "latitude": households[r.household_id].latitude} for r in residents}


async def _lunch(client, station_id: str, resident_id: str, day: str) -> dict:
    r = await client.post("/meal-orders", json={"station_id": station_id, "meal_date": day, "meal": "lunch",
                                                "resident_id": resident_id}, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def _run(client, **kwargs):
    return await anonymise_inactive(client.app.state.session_factory, POLICY, cutoff=CUTOFF, audit_model=AuditEntry,
                                    outbox_model=OutboxMessage, **kwargs)


async def test_quiet_residents_are_anonymised_and_the_overview_keeps_its_counts(make_client, db_backend):
    async with make_client(db_backend) as client:
        fix_time(client, MONDAY_2018)
        hub = await station(client, "宁惠驿站", *HUB, meal_price_fen=1500)
        moved_home, kit_home, busy_home = await household(client), await household(client), await household(client)
        moved = await member(client, moved_home["id"], 1, date(1941, 8, 17), name="李桂兰", low_income=True)
        with_kit = await member(client, kit_home["id"], 2, date(1939, 2, 3), name="赵阿婆")
        await kit(client, kit_home["id"])  # the home-safety kit still watches over her: open work
        regular = await member(client, busy_home["id"], 3, date(1950, 1, 9), name="钱大伯")
        order = await _lunch(client, hub["id"], moved["id"], "2018-03-05")
        assert (await client.post(f"/meal-orders/{order['id']}/serve", headers=STAFF)).status_code == 200
        fix_time(client, datetime(2025, 6, 2, 1, 0, tzinfo=UTC))
        await _lunch(client, hub["id"], regular["id"], "2025-06-02")
        async with client.app.state.session_factory() as session, session.begin():
            # created_at is the wall clock, not the service clock: register them in 2018 as the story says.
            for model in (Resident, Household):
                await session.execute(update(model).values(created_at=MONDAY_2018))

        fix_time(client, datetime(2026, 11, 1, tzinfo=UTC))
        before_stats = await _overviews(client)
        before = await _snapshot(client)
        report = await _run(client, batch_size=1)
        assert (report.inactive, report.anonymised, report.skipped_open_work) == (2, 1, 1)
        assert await _overviews(client) == before_stats

        after = await _snapshot(client)
        gone = after[moved["id"]]
        assert (gone["name"], gone["phone"], gone["birth_date"]) == ("已匿名", None, date(1941, 1, 1))
        assert gone["id_number"].startswith("ANON") and gone["person_ref"].startswith("anon_")
        assert (gone["address"], gone["latitude"]) == ("[已匿名]", None)  # nobody identifiable lives there now
        assert (gone["street_code"], gone["low_income"]) == (before[moved["id"]]["street_code"], True)
        assert after[with_kit["id"]] == before[with_kit["id"]] and after[regular["id"]] == before[regular["id"]]
        async with client.app.state.session_factory() as session:
            meal_ref = await session.scalar(select(MealOrder.person_ref).where(
                MealOrder.resident_id == uuid.UUID(moved["id"])))
            audits = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "anonymise"))).all()
        assert meal_ref == gone["person_ref"]  # the meal still counts, for nobody in particular
        assert len(audits) == 1 and audits[0].resource_type == "resident"

        again = await _run(client)
        assert (again.anonymised, again.skipped_open_work) == (0, 1)
        assert await _snapshot(client) == after
