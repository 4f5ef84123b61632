"""``Idempotency-Key`` on POST: the first outcome is recorded and every retry gets it back.

A key belongs to one caller; reused with another request it is refused (422); while the first request is
still running a retry gets 409. Outcomes from 500 up are not kept (the service rolled back, or never saw the
request), so the client may retry with the same key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.idempotency.models import IdempotencyRecord

NEW, REPLAY, IN_PROGRESS, MISMATCH = "new", "replay", "in_progress", "mismatch"
KEPT_HEADERS = frozenset({b"content-type", b"location", b"etag", b"content-encoding", b"cache-control"})


def fingerprint(method: str, target: bytes, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), target, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Begun:
    outcome: str  # new | replay | in_progress | mismatch
    status: int | None = None
    headers: list[tuple[bytes, bytes]] | None = None
    body: bytes | None = None


class IdempotencyStore:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], *, ttl: timedelta,
                 stale_after: timedelta):
        self.session_factory = session_factory
        self.ttl = ttl
        self.stale_after = stale_after  # an in-progress record this old belongs to a crashed request

    async def begin(self, *, owner: str, key: str, fingerprint: str, now: datetime) -> Begun:
        async with self.session_factory() as session:
            for _ in range(3):
                try:
                    async with session.begin():
                        session.add(IdempotencyRecord(owner=owner, key=key, fingerprint=fingerprint,
                                                      state="in_progress", created_at=now,
                                                      expires_at=now + self.ttl))
                    return Begun(NEW)
                except IntegrityError:
                    pass
                async with session.begin():
                    record = await session.scalar(select(IdempotencyRecord).where(
                        IdempotencyRecord.owner == owner, IdempotencyRecord.key == key))
                    if record is None:
                        continue  # finished and abandoned meanwhile: try to claim it again
                    stale = record.state == "in_progress" and record.created_at <= now - self.stale_after
                    if record.expires_at <= now or stale:
                        await session.delete(record)
                        continue
                    if record.fingerprint != fingerprint:
                        return Begun(MISMATCH)
                    if record.state != "done":
                        return Begun(IN_PROGRESS)
                    headers = [(bytes.fromhex(n), bytes.fromhex(v)) for n, v in record.headers or []]
                    return Begun(REPLAY, record.status_code, headers, record.body)
        return Begun(IN_PROGRESS)

    async def complete(self, *, owner: str, key: str, status: int, headers, body: bytes) -> None:
        kept = [[n.hex(), v.hex()] for n, v in headers if n.lower() in KEPT_HEADERS]
        async with self.session_factory() as session, session.begin():
            await session.execute(update(IdempotencyRecord)
                                  .where(IdempotencyRecord.owner == owner, IdempotencyRecord.key == key)
                                  .values(state="done", status_code=status, headers=kept, body=body))

    async def abandon(self, *, owner: str, key: str) -> None:
        async with self.session_factory() as session, session.begin():
            await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.owner == owner,
                                                                  IdempotencyRecord.key == key))

    async def purge_expired(self, *, now: datetime) -> int:
        async with self.session_factory() as session, session.begin():
            result = await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= now))
            return result.rowcount or 0
