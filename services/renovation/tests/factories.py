"""Small builders the renovation tests share: each posts through the API as staff and returns the JSON."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from shared.identity import make_id_number, person_ref
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers

STAFF = identity_headers("renovation")
AUDITOR = identity_headers("auditor")
ADMIN = identity_headers("admin")
CHENGXIANG, CHONGHUA, XIANGHU = "330109001", "330109001001", "330109001002"
NINGWEI, ZHENNING, CHAODU = "330109005", "330109005001", "330109005002"
_seq = itertools.count(1)


def ref(n: int) -> str:
    """A resident's person_ref, as the platform derives it from an ID number."""
    from datetime import date

    return person_ref(make_id_number("330109", date(1960, 1, 1 + n % 28), n), DEV_PERSON_REF_KEY)


def resident(n: int) -> dict[str, str]:
    return identity_headers("resident", subject=f"resident-{n}", person_ref=ref(n))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def set_clock(client, when: datetime) -> None:
    client.app.state.clock = lambda: when


async def estate(client, **overrides) -> dict:
    body = {"name": f"小区{next(_seq)}", "community_code": CHONGHUA, "built_year": 1995, "floor_area_m2": 30000.0,
            "households": 400, "buildings": 8, **overrides}
    r = await client.post("/estates", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def household(client, estate_id: str, label: str, *members: int) -> dict:
    r = await client.post(f"/estates/{estate_id}/households",
                          json={"label": label, "member_refs": [ref(m) for m in members]}, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def project(client, estate_ids: list[str], **overrides) -> dict:
    body = {"name": f"改造项目{next(_seq)}", "estate_ids": estate_ids, "budget_fen": 1_200_000_000,
            "planned_start": "2026-03-01", "planned_end": "2026-12-31", **overrides}
    r = await client.post("/projects", json=body, headers=STAFF)
    assert r.status_code == 201, r.text
    return r.json()


async def advance(client, project_id: str, *actions: str) -> dict:
    body = None
    for action in actions:
        r = await client.post(f"/projects/{project_id}/{action}", headers=STAFF)
        assert r.status_code == 200, r.text
        body = r.json()
    return body


async def outbox_types(client) -> list[str]:
    """Event types in the service's outbox, oldest first (what will leave, or has left, the service)."""
    from sqlalchemy import select

    from services.renovation.db import OutboxMessage

    async with client.app.state.session_factory() as session:
        rows = (await session.execute(select(OutboxMessage.event_type, OutboxMessage.payload)
                                      .order_by(OutboxMessage.created_at))).all()
    return [r[0] for r in rows]


async def outbox_payloads(client, event_type: str) -> list[dict]:
    import json

    from sqlalchemy import select

    from services.renovation.db import OutboxMessage

    async with client.app.state.session_factory() as session:
        rows = (await session.scalars(select(OutboxMessage.payload).where(OutboxMessage.event_type == event_type)
                                      .order_by(OutboxMessage.created_at))).all()
    return [json.loads(p)["data"] for p in rows]
