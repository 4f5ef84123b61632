"""Builders the jobs tests share: each goes through the API as an officer would and returns the JSON."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlalchemy import select

from services.jobs.db import OutboxMessage
from services.jobs.employers.rules import make_credit_code
from shared.identity import make_id_number, person_ref
from shared.settings import DEV_PERSON_REF_KEY
from shared.testing import identity_headers

OFFICER = identity_headers("jobs", subject="officer-zhang")
OTHER_OFFICER = identity_headers("jobs", subject="officer-li")
APPROVER = identity_headers("jobs-approver", subject="checker-wang")
AUDITOR = identity_headers("auditor", subject="auditor-chen")
ADMIN = identity_headers("admin", subject="admin")
NINGWEI, ZHENNING, CHAODU = "330109005", "330109005001", "330109005002"
CHENGXIANG, CHONGHUA = "330109001", "330109001001"
T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
_seq = itertools.count(1)


def id_number(seq: int, born: date = date(1990, 5, 1)) -> str:
    return make_id_number("330109", born, seq)


def ref_of(number: str) -> str:
    return person_ref(number, DEV_PERSON_REF_KEY)


def as_resident(number: str, subject: str = "resident") -> dict[str, str]:
    return identity_headers("resident", subject=subject, person_ref=ref_of(number))


def at(client, when: datetime) -> None:
    client.app.state.clock = lambda: when


async def seeker(client, *, seq: int | None = None, born: date = date(1990, 5, 1), headers=OFFICER,
                 **overrides) -> dict:
    seq = seq if seq is not None else next(_seq) + 100
    body = {"id_number": id_number(seq, born), "name": f"求职者{seq}", "phone": "13812345678",
            "street_code": NINGWEI, "skills": ["电工"], **overrides}
    r = await client.post("/seekers", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def employer(client, street: str = NINGWEI, name: str | None = None) -> dict:
    serial = next(_seq)
    r = await client.post("/employers", json={"name": name or f"企业{serial}", "street_code": street,
                                              "credit_code": make_credit_code("330109", serial)}, headers=OFFICER)
    assert r.status_code == 201, r.text
    return r.json()


async def vacancy(client, employer_id: str, **overrides) -> dict:
    body = {"employer_id": employer_id, "title": "电工", "skills": ["电工"], "salary_min_fen": 500_000,
            "salary_max_fen": 700_000, "street_code": NINGWEI, "headcount": 2, **overrides}
    r = await client.post("/vacancies", json=body, headers=OFFICER)
    assert r.status_code == 201, r.text
    return r.json()


async def serve(client, seeker_id: str, kind: str = "career_guidance") -> dict:
    r = await client.post(f"/seekers/{seeker_id}/acts", json={"kind": kind}, headers=OFFICER)
    assert r.status_code == 201, r.text
    return r.json()


async def place(client, seeker_id: str, **body) -> dict:
    r = await client.post("/placements", json={"seeker_id": seeker_id, **body}, headers=OFFICER)
    assert r.status_code == 201, r.text
    return r.json()


async def events(client, event_type: str | None = None) -> list[dict]:
    """Events in the service's outbox, oldest first: what leaves (or has left) the service."""
    import json

    async with client.app.state.session_factory() as session:
        rows = (await session.execute(select(OutboxMessage.event_type, OutboxMessage.payload)
                                      .order_by(OutboxMessage.created_at))).all()
    return [json.loads(p) for t, p in rows if event_type is None or t == event_type]
