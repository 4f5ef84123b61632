"""The body of every service's Alembic ``env.py``: async engines, batch mode for SQLite."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from shared.migrate import ensure_sqlite_dir


def run_env(metadata: MetaData, default_url: str) -> None:
    config = context.config
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url") or default_url

    def configure(**kwargs) -> None:
        context.configure(target_metadata=metadata, render_as_batch=True, compare_type=True, **kwargs)

    if context.is_offline_mode():
        configure(url=url, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def run_sync(connection: Connection) -> None:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        ensure_sqlite_dir(url)
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run_sync)
        await engine.dispose()

    asyncio.run(run_async())
