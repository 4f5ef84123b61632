"""Test fixtures every test package uses (registered by the root ``conftest.py``).

Real servers only: PostgreSQL at ``MINSHENG_TEST_PG`` (default 127.0.0.1:5432, database ``test``) and
RabbitMQ at ``MINSHENG_TEST_AMQP`` (default guest@127.0.0.1:5672). A test that needs one that is down fails
with a clear message. Each test gets its own database (cloned from a migrated template) and its own
exchange/queue prefix, removed afterwards.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import aio_pika
import asyncpg
import httpx
import pytest
from asgi_lifespan import LifespanManager

from shared.auth import Principal, issue_internal_token
from shared.events.bus import dead_letter_exchange_name, dead_letter_queue_name, exchange_name, queue_name
from shared.events.topology import SUBSCRIPTIONS
from shared.migrate import SERVICES, upgrade
from shared.settings import DEV_INTERNAL_TOKEN_SECRET

PG_ADMIN_DSN = os.environ.get("MINSHENG_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
AMQP_URL = os.environ.get("MINSHENG_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/")
RUN_ID = uuid.uuid4().hex[:8]


def _pg_host_part() -> str:
    return PG_ADMIN_DSN.split("://", 1)[1].rsplit("/", 1)[0]


def pg_url(database: str, driver: str = "asyncpg") -> str:
    return f"postgresql+{driver}://{_pg_host_part()}/{database}"


async def pg_admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    except Exception as exc:
        pytest.fail(f"PostgreSQL is required for this test and is not reachable at {PG_ADMIN_DSN}: {exc!r}")


async def drop_pg_database(name: str) -> None:
    conn = await pg_admin()
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class DatabaseTemplates:
    """Migrate each service once per run, then clone the result for every test (fast and isolated)."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self._pg: dict[str, str] = {}
        self._sqlite: dict[str, Path] = {}
        self.created_pg: list[str] = []

    async def pg(self, service: str) -> str:
        if service not in self._pg:
            name = f"mstpl_{RUN_ID}_{service}"
            conn = await pg_admin()
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()
            self.created_pg.append(name)
            await asyncio.to_thread(upgrade, service, pg_url(name))
            self._pg[service] = name
        return self._pg[service]

    async def new_pg_database(self, service: str) -> str:
        template = await self.pg(service)
        name = f"mst_{RUN_ID}_{service}_{uuid.uuid4().hex[:8]}"
        conn = await pg_admin()
        try:
            await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        finally:
            await conn.close()
        self.created_pg.append(name)
        return name

    async def new_sqlite_file(self, service: str) -> Path:
        if service not in self._sqlite:
            path = self.workdir / f"template-{service}.db"
            await asyncio.to_thread(upgrade, service, f"sqlite+aiosqlite:///{path}")
            self._sqlite[service] = path
        target = self.workdir / f"{service}-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(self._sqlite[service], target)
        return target

    async def cleanup(self) -> None:
        for name in self.created_pg:
            await drop_pg_database(name)


@pytest.fixture(scope="session")
def db_templates(tmp_path_factory) -> Iterable[DatabaseTemplates]:
    templates = DatabaseTemplates(tmp_path_factory.mktemp("db"))
    yield templates
    asyncio.run(templates.cleanup())


@pytest.fixture(params=["postgresql", "sqlite"])
def db_backend(request) -> str:
    """Parametrise a test over both database backends."""
    return request.param


@pytest.fixture
def database_url_for(db_templates: DatabaseTemplates) -> Callable:
    """``await database_url_for("jobs", "postgresql")`` -> a fresh, migrated database for this test."""

    async def make(service: str, backend: str = "postgresql") -> str:
        assert service in SERVICES
        if backend == "sqlite":
            return f"sqlite+aiosqlite:///{await db_templates.new_sqlite_file(service)}"
        return pg_url(await db_templates.new_pg_database(service))

    return make


@pytest.fixture
def event_prefix() -> Iterable[str]:
    """A unique exchange/queue prefix; everything declared under it is deleted after the test."""
    prefix = f"t{uuid.uuid4().hex[:10]}."
    yield prefix
    asyncio.run(delete_broker_objects(prefix, SUBSCRIPTIONS, extra_consumers=("probe",)))


async def require_broker() -> aio_pika.abc.AbstractConnection:
    try:
        return await aio_pika.connect(AMQP_URL, timeout=5)
    except Exception as exc:
        pytest.fail(f"RabbitMQ is required for this test and is not reachable at {AMQP_URL}: {exc!r}")


async def delete_broker_objects(prefix: str, topology: Mapping[str, Iterable[str]], *,
                                extra_consumers: Iterable[str] = (), url: str = AMQP_URL) -> None:
    try:
        connection = await aio_pika.connect(url, timeout=5)
    except Exception:
        return  # the broker is gone (a fault test's private node): nothing to clean
    async with connection:
        consumers = {**{c: list(keys) for c, keys in topology.items()}}
        for consumer in extra_consumers:
            consumers.setdefault(consumer, [])
        producers = {key.split(".", 1)[0] for keys in topology.values() for key in keys} | set(SERVICES)
        for consumer, keys in consumers.items():
            names = [queue_name(prefix, consumer, k) for k in keys] + [dead_letter_queue_name(prefix, consumer)]
            for name in names:
                channel = await connection.channel()
                with suppress(Exception):
                    await channel.queue_delete(name)
            channel = await connection.channel()
            with suppress(Exception):
                await channel.exchange_delete(dead_letter_exchange_name(prefix, consumer))
        for producer in producers:
            channel = await connection.channel()
            with suppress(Exception):
                await channel.exchange_delete(exchange_name(prefix, producer))


def identity_headers(role: str, subject: str | None = None, *, secret: str = DEV_INTERNAL_TOKEN_SECRET,
                     **kwargs) -> dict[str, str]:
    """Headers that make a request to a service act as a user of ``role`` (as the gateway would)."""
    principal = Principal(subject=subject or f"{role}-user", roles=frozenset({role}), **kwargs)
    # A day, not the gateway's two minutes: test modules mint their headers at import, and a full run
    # reaches them much later.
    return {"x-minsheng-identity": issue_internal_token(principal, secret, ttl=86_400)}


@asynccontextmanager
async def running_app(app) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app's lifespan (database, bus, relay, consumers) and give an in-process HTTP client."""
    async with LifespanManager(app, startup_timeout=30, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def equals(awaitable, value) -> bool:
    """For ``eventually``: ``eventually(lambda: equals(count_rows(), 3))``."""
    return (await awaitable) == value


async def eventually(check: Callable, *, timeout: float = 10.0, interval: float = 0.05):
    """Poll ``check`` (sync or async) until it returns a truthy value, or fail after ``timeout`` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    last = None
    while True:
        last = check()
        if asyncio.iscoroutine(last):
            last = await last
        if last:
            return last
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")
        await asyncio.sleep(interval)
