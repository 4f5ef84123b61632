"""Test data builders that go through the API, as community staff would."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from services.community.db import OutboxMessage
from shared.identity import make_id_number, person_ref
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers

STAFF = identity_headers("community", subject="secretary-yao")
OTHER_STAFF = identity_headers("community", subject="duty-officer-li")
AUDITOR = identity_headers("auditor")
ADMIN = identity_headers("admin", subject="district-admin")
DOCTOR = identity_headers("doctor", subject="dr-li")
NINGWEI, ZHENNING, CHAODU = "330109005", "330109005001", "330109005002"
GUALI, DANGSHAN = "330109011", "330109011001"
# 宁惠驿站, the five-in-one station of 振宁社区 (WGS-84).
HUB = (30.20490, 120.28290)
CHILD_AFTER = date(2008, 1, 1)  # born later: under 14 at any clock the tests set
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Hangzhou
_seq = itertools.count(1)


def id_number(seq: int, born: date) -> str:
    return make_id_number("330109", born, seq)


def ref_of(seq: int, born: date) -> str:
    return person_ref(id_number(seq, born), DEV_PERSON_REF_KEY)


def as_resident(seq: int, born: date) -> dict[str, str]:
    return identity_headers("resident", subject=f"resident-{seq}", person_ref=ref_of(seq, born))


def device_key(*scopes: str, name: str = "anxin") -> dict[str, str]:
    """A vendor platform's API key, as the gateway forwards it."""
    return identity_headers("integration", subject=f"api-key:{name}:abc123", kind="api_key",
                            scopes=frozenset(scopes))


def fix_time(client, at: datetime) -> None:
    client.app.state.clock = lambda: at


async def household(client, *, label: str | None = None, latitude: float | None = HUB[0] + 0.001,
                    longitude: float | None = HUB[1], community_code: str = ZHENNING) -> dict:
    body = {"label": label or f"振宁{next(_seq)}幢101", "address": "宁围街道振宁路88号",
            "community_code": community_code, "latitude": latitude, "longitude": longitude}
    r = await client.post("/households", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def member(client, household_id: str, seq: int, born: date, name: str = "王秀英", **flags) -> dict:
    """A resident; a child's guardian consent is recorded first (test_consent_reveal covers it at registration)."""
    body = {"id_number": id_number(seq, born), "name": name, "phone": "13805710001", **flags}
    if born > CHILD_AFTER and "minor_data_consent" not in flags:
        r = await client.post("/consents", json={"person_ref": ref_of(seq, born), "purpose": "minor_data",
                                                  "guardian_person_ref": ref_of(900 + seq, date(1985, 1, 1))},
                              headers=STAFF)
        assert r.status_code == 201, r.text
    r = await client.post(f"/households/{household_id}/members", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def kit(client, household_id: str, vendor: str = "anxin") -> dict[str, dict]:
    """The four-piece kit; returns the devices by type."""
    tag = next(_seq)
    devices = [{"type": t, "serial_no": f"{vendor.upper()}-{t[:4].upper()}-{tag:05d}"}
               for t in ("smoke", "gas", "emergency_button", "door_sensor")]
    r = await client.post(f"/households/{household_id}/kit", json={"vendor_code": vendor, "devices": devices},
                          headers=STAFF)
    assert r.status_code == 201, r.text
    return {d["type"]: d for d in r.json()}


async def station(client, name: str, latitude: float, longitude: float, kind: str = "five_in_one",
                  community_code: str = ZHENNING, **extra) -> dict:
    body = {"name": name, "kind": kind, "community_code": community_code, "latitude": latitude,
            "longitude": longitude, **extra}
    r = await client.post("/stations", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def outbox_payloads(client, event_type: str) -> list[dict]:
    async with client.app.state.session_factory() as session:
        rows = (await session.scalars(select(OutboxMessage.payload).where(OutboxMessage.event_type == event_type)
                                      .order_by(OutboxMessage.created_at))).all()
    return [json.loads(p)["data"] for p in rows]
