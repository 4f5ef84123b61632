"""API key use cases: create (shown once), list, revoke, rotate, and the lookup the authenticator makes."""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.keys.models import ApiKey
from gateway.keys.rules import hash_key, new_key, parse_key
from shared.database import unit_of_work
from shared.errors import Conflict, NotFound
from shared.pagination import paginate


@dataclass(frozen=True)
class CreatedKey:
    record: ApiKey
    key: str  # the only time the full key exists outside the caller's hands


async def create_key(session: AsyncSession, *, name: str, scopes: list[str], roles: list[str],
                     rate_limit: str | None, expires_at: datetime | None, actor: str) -> CreatedKey:
    raw, prefix = new_key()
    record = ApiKey(name=name, prefix=prefix, key_hash=hash_key(raw), scopes=sorted(set(scopes)),
                    roles=sorted(set(roles)), rate_limit=rate_limit, created_by=actor, expires_at=expires_at)
    async with unit_of_work(session):
        session.add(record)
    return CreatedKey(record, raw)


async def get_key(session: AsyncSession, *, key_id: uuid.UUID) -> ApiKey:
    record = await session.get(ApiKey, key_id)
    if record is None:
        raise NotFound("no such API key")
    return record


async def list_keys(session: AsyncSession, *, include_revoked: bool, limit: int, cursor: str | None):
    query = select(ApiKey)
    if not include_revoked:
        query = query.where(ApiKey.revoked_at.is_(None))
    return await paginate(session, query, sort_column=ApiKey.created_at, id_column=ApiKey.id, limit=limit,
                          cursor=cursor, descending=True)


async def revoke_key(session: AsyncSession, *, key_id: uuid.UUID, actor: str, now: datetime) -> ApiKey:
    async with unit_of_work(session):
        record = await get_key(session, key_id=key_id)
        if record.revoked_at is not None:
            raise Conflict("this API key is already revoked")
        record.revoked_at, record.revoked_by = now, actor
    return record


async def rotate_key(session: AsyncSession, *, key_id: uuid.UUID, grace_seconds: int, actor: str,
                     now: datetime) -> CreatedKey:
    """A new key with the same rights; the old one stops at once, or after ``grace_seconds`` so that the
    client can switch without an outage."""
    raw, prefix = new_key()
    async with unit_of_work(session):
        old = await get_key(session, key_id=key_id)
        if old.revoked_at is not None:
            raise Conflict("a revoked API key cannot be rotated")
        new = ApiKey(name=old.name, prefix=prefix, key_hash=hash_key(raw), scopes=list(old.scopes),
                     roles=list(old.roles), rate_limit=old.rate_limit, created_by=actor, expires_at=old.expires_at)
        session.add(new)
        await session.flush()
        old.replaced_by = new.id
        if grace_seconds:
            end = now + timedelta(seconds=grace_seconds)
            old.expires_at = min(old.expires_at, end) if old.expires_at else end
        else:
            old.revoked_at, old.revoked_by = now, actor
    return CreatedKey(new, raw)


async def find_usable_key(session: AsyncSession, raw: str, *, now: datetime) -> tuple[ApiKey | None, str]:
    """(the key's row, or None and why not). Constant-time comparison of the hash."""
    prefix = parse_key(raw)
    if prefix is None:
        return None, "malformed API key"
    record = await session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if record is None or not hmac.compare_digest(record.key_hash, hash_key(raw)):
        return None, "unknown API key"
    if record.revoked_at is not None:
        return None, "API key revoked"
    if record.expires_at is not None and record.expires_at <= now:
        return None, "API key expired"
    return record, ""
