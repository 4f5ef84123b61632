"""Every service's migrations apply on an empty SQLite file and an empty PostgreSQL database, match the
models, and roll back cleanly."""

import asyncio
import importlib
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from shared.database import create_engine
from shared.migrate import SERVICES, downgrade, upgrade
from shared.testing import pg_admin, pg_url


@pytest.fixture
async def empty_database(db_backend, tmp_path):
    if db_backend == "sqlite":
        path = tmp_path / "empty.db"
        yield f"sqlite+aiosqlite:///{path}"
        return
    name = f"msmig_{uuid.uuid4().hex[:10]}"
    conn = await pg_admin()
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    yield pg_url(name)
    conn = await pg_admin()
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


@pytest.mark.parametrize("service", SERVICES)
async def test_migrations_apply_match_the_models_and_roll_back(service, empty_database):
    url = empty_database
    await asyncio.to_thread(upgrade, service, url)
    metadata = importlib.import_module(f"services.{service}.models").Base.metadata
    engine = create_engine(url)
    async with engine.connect() as conn:
        def check(sync_conn):
            tables = set(inspect(sync_conn).get_table_names())
            assert {"outbox", "inbox"} <= tables
            assert set(metadata.tables) <= tables
            diff = compare_metadata(MigrationContext.configure(sync_conn, opts={"compare_type": False}), metadata)
            assert diff == [], f"models and migrations differ for {service}: {diff}"

        await conn.run_sync(check)
    await engine.dispose()
    await asyncio.to_thread(downgrade, service, url)
    engine = create_engine(url)
    async with engine.connect() as conn:
        remaining = await conn.run_sync(lambda c: set(inspect(c).get_table_names()) - {"alembic_version"})
    await engine.dispose()
    assert remaining == set()
