"""Gateway fixtures: its own database (migrated once per run, cloned per test) and a gateway factory."""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager

from gateway.app import create_app
from gateway.demo import load_demo
from gateway.migrate import upgrade
from gateway.settings import Settings
from shared.testing import RUN_ID, drop_pg_database, pg_admin, pg_url


class GatewayTemplates:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.sqlite: Path | None = None
        self.pg: str | None = None
        self.created: list[str] = []

    async def new_url(self, backend: str) -> str:
        if backend == "sqlite":
            if self.sqlite is None:
                self.sqlite = self.workdir / "gateway-template.db"
                await asyncio.to_thread(upgrade, f"sqlite+aiosqlite:///{self.sqlite}")
            target = self.workdir / f"gateway-{uuid.uuid4().hex[:8]}.db"
            shutil.copyfile(self.sqlite, target)
            return f"sqlite+aiosqlite:///{target}"
        conn = await pg_admin()
        try:
            if self.pg is None:
                self.pg = f"mstpl_{RUN_ID}_gateway"
                await conn.execute(f'DROP DATABASE IF EXISTS "{self.pg}" WITH (FORCE)')
                await conn.execute(f'CREATE DATABASE "{self.pg}"')
                self.created.append(self.pg)
                await asyncio.to_thread(upgrade, pg_url(self.pg))
            name = f"mst_{RUN_ID}_gateway_{uuid.uuid4().hex[:8]}"
            await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg}"')
            self.created.append(name)
        finally:
            await conn.close()
        return pg_url(name)


@pytest.fixture(scope="session")
def gateway_templates(tmp_path_factory):
    templates = GatewayTemplates(tmp_path_factory.mktemp("gateway-db"))
    yield templates

    async def cleanup():
        for name in reversed(templates.created):
            await drop_pg_database(name)

    asyncio.run(cleanup())


@pytest.fixture
def make_gateway(gateway_templates) -> Callable:
    """``async with make_gateway(routes={...}, **settings) as client``: a started gateway (demo users loaded)
    and an httpx client on it; ``client.gateway`` is its state. ``routes`` maps area -> base URL(s)."""

    @asynccontextmanager
    async def factory(*, routes: dict[str, str] | None = None, backend: str = "sqlite", clock=None, **overrides):
        url = await gateway_templates.new_url(backend)
        values = {"database_url": url, "log_json": False, "log_level": "WARNING", "access_log": False,
                  "upstream_renovation": "", "upstream_jobs": "", "upstream_community": "",
                  "upstream_chronic_care": "", **overrides}
        for area, base in (routes or {}).items():
            values[f"upstream_{area.replace('-', '_')}"] = base
        settings = Settings(**values)
        app = create_app(settings, **({"clock": clock} if clock else {}))
        async with LifespanManager(app, startup_timeout=30) as manager:
            gateway = app.gateway
            await load_demo(gateway.session_factory, settings)
            transport = httpx.ASGITransport(app=manager.app, client=("203.0.113.7", 50000))
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
                client.gateway = gateway
                client.app = app
                client.settings = settings
                yield client

    return factory
