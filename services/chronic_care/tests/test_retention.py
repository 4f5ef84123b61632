"""Retention: patients out of care for 15+ years are anonymised; their clinical rows and every figure stay."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from services.chronic_care.db import AuditEntry, OutboxMessage
from services.chronic_care.followups.models import FollowUp
from services.chronic_care.monitoring.models import Reading
from services.chronic_care.patients.models import Patient
from services.chronic_care.retention import MINIMUM_YEARS, POLICY, RetentionSettings
from services.chronic_care.tests.helpers import AUDITOR, DOCTOR, bp, fix_time, patient, station
from shared.retention import anonymise_inactive, parse_args

CUTOFF = date(2010, 1, 1)


async def _overviews(client) -> list[dict]:
    out = []
    for params in ({}, {"year": 2005}, {"year": 2024}):
        r = await client.get("/stats/overview", params=params, headers=AUDITOR)
        assert r.status_code == 200, r.text
        body = r.json()
        body.pop("generated_at", None)
        out.append(body)
    return out


async def _patients(client) -> dict[str, dict]:
    async with client.app.state.session_factory() as session:
        rows = (await session.scalars(select(Patient))).all()
    return {str(p.id): {c: getattr(p, c) for c in ("id_number", "name", "phone", "birth_date", "person_ref",
                                                   "community_code", "status", "street_code", "station_id")}
            for p in rows}


async def _scheduled(client, patient_id: str) -> dict:
    items = (await client.get("/follow-ups", params={"patient_id": patient_id, "status": "scheduled"},
                              headers=DOCTOR)).json()["items"]
    return items[0]


async def _run(client, **kwargs):
    return await anonymise_inactive(client.app.state.session_factory, POLICY, cutoff=CUTOFF, audit_model=AuditEntry,
                                    outbox_model=OutboxMessage, **kwargs)


async def test_patients_out_of_care_are_anonymised_and_figures_stay(make_client, db_backend):
    async with make_client(db_backend) as client:
        s = await station(client)
        fix_time(client, datetime(2005, 3, 2, 8, tzinfo=UTC))
        moved = await patient(client, s["id"], seq=1)
        in_care = await patient(client, s["id"], seq=2)
        returned = await patient(client, s["id"], seq=3)
        for p in (moved, in_care, returned):
            assert (await bp(client, p["id"], 150, 95)).status_code == 201
        fix_time(client, datetime(2005, 4, 2, 8, tzinfo=UTC))
        r = await client.post(f"/follow-ups/{(await _scheduled(client, moved['id']))['id']}/complete",
                              json={"method": "home", "notes": "老伴陪同，女儿在上海"}, headers=DOCTOR)
        assert r.status_code == 200, r.text
        fix_time(client, datetime(2005, 5, 2, 8, tzinfo=UTC))
        r = await client.post(f"/follow-ups/{(await _scheduled(client, moved['id']))['id']}/calls",
                              json={"outcome": "removed", "removed_reason": "moved"}, headers=DOCTOR)
        assert r.status_code == 200, r.text
        fix_time(client, datetime(2024, 6, 1, 8, tzinfo=UTC))
        assert (await bp(client, returned["id"], 130, 80)).status_code == 201

        fix_time(client, datetime(2026, 11, 1, tzinfo=UTC))
        before_stats = await _overviews(client)
        before = await _patients(client)
        report = await _run(client, batch_size=1)
        # The one still in care (a scheduled follow-up) is skipped; the one seen in 2024 is not inactive.
        assert (report.inactive, report.anonymised, report.skipped_open_work) == (2, 1, 1)
        assert await _overviews(client) == before_stats

        after = await _patients(client)
        gone, old = after[moved["id"]], before[moved["id"]]
        assert (gone["name"], gone["phone"], gone["community_code"]) == ("已匿名", None, None)
        assert gone["id_number"].startswith("ANON") and gone["person_ref"].startswith("anon_")
        assert gone["birth_date"] == date(old["birth_date"].year, 1, 1)
        assert (gone["status"], gone["station_id"], gone["street_code"]) == (
            old["status"], old["station_id"], old["street_code"])
        assert after[in_care["id"]] == before[in_care["id"]] and after[returned["id"]] == before[returned["id"]]
        moved_id = uuid.UUID(moved["id"])
        async with client.app.state.session_factory() as session:
            notes = (await session.scalars(select(FollowUp.notes).where(FollowUp.patient_id == moved_id))).all()
            readings = (await session.scalars(select(Reading.systolic).where(Reading.patient_id == moved_id))).all()
            audits = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "anonymise"))).all()
        assert notes and all(n is None for n in notes)
        assert readings == [150]  # the clinical record stays, about nobody
        assert len(audits) == 1 and audits[0].resource_type == "patient"

        again = await _run(client)
        assert (again.anonymised, again.skipped_open_work) == (0, 1)
        assert await _patients(client) == after


def test_health_records_are_kept_at_least_fifteen_years():
    with pytest.raises(ValidationError):
        RetentionSettings(retention_years=MINIMUM_YEARS - 1)
    assert RetentionSettings().retention_years == 15
    today = date(2026, 11, 29)
    with pytest.raises(SystemExit):
        parse_args(["--before", "2015-01-01"], service="chronic_care", default_years=15, minimum_years=15,
                   today=today)
    args = parse_args([], service="chronic_care", default_years=15, minimum_years=15, today=today)
    assert args.before == date(2011, 11, 29) and not args.dry_run
