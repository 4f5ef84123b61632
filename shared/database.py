"""Async engine and sessions: SQLite (WAL, busy_timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both backends (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given; use UTC-aware datetimes")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class UUIDPrimaryKey:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str, *, pool_size: int = 10, echo: bool = False) -> AsyncEngine:
    if is_sqlite(url):
        engine = create_async_engine(url, echo=echo, connect_args={"timeout": 30}, hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    engine = create_async_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800,
        hide_parameters=True,  # a failed statement's values (ID numbers, names) never reach an error log
    )
    _ping_when_idle(engine)
    return engine


# A connection back in the pool for less than this is taken as alive. SQLAlchemy's pool_pre_ping pings on
# every checkout: a round trip and ~20 % of a small transaction's CPU (measured on the outbox producer). A
# server that died within this window still costs at most one failed statement per connection: the
# disconnect invalidates the pool and the request answers 503 (shared/db_unavailable.py).
PING_AFTER_IDLE_SECONDS = 2.0


def _ping_when_idle(engine: AsyncEngine) -> None:
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _on_checkin(_dbapi_connection, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dbapi_connection.ping()  # runs inside SQLAlchemy's greenlet, like pool_pre_ping's own ping
        except Exception as error:
            # The pool discards this connection and checks out (or opens) another.
            raise DisconnectionError("connection lost while idle in the pool") from error


def _configure_sqlite(engine: AsyncEngine) -> None:
    """WAL so readers never block the writer; BEGIN IMMEDIATE so a transaction that will write takes the
    write lock up front (a deferred transaction that later upgrades fails with SQLITE_BUSY instead of
    waiting): that serialises writers like row locks would, and busy_timeout makes them queue."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


@asynccontextmanager
async def unit_of_work(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """One transaction per use case: commits at the end unless an outer caller (an event consumer
    recording its inbox row in the same transaction) already owns the transaction."""
    if session.info.get("owned_transaction"):
        yield session
        await session.flush()
        return
    if session.in_transaction():
        # Reads before the use case (e.g. authorisation lookups) autobegan a transaction: it is ours.
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
        return
    async with session.begin():
        yield session


@asynccontextmanager
async def owned_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """The caller commits; use cases run inside join it (see ``unit_of_work``)."""
    session.info["owned_transaction"] = True
    try:
        async with session.begin():
            yield session
    finally:
        session.info.pop("owned_transaction", None)
