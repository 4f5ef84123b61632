"""The whole platform for the browser tests: the four services and the gateway as real processes on fresh
databases (cloned from the migrated templates), events through the machine's RabbitMQ under a private prefix,
and every service's demo data loaded the way ``make run`` loads it."""

from __future__ import annotations

import asyncio
import importlib
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from gateway.migrate import upgrade as migrate_gateway
from shared.database import create_engine, create_session_factory
from shared.events.topology import SUBSCRIPTIONS
from shared.migrate import SERVICES
from shared.testing import AMQP_URL, DatabaseTemplates, delete_broker_objects, pg_url
from tests.support.processes import AppProcess, service_env

DEMO_PASSWORD = "minsheng-demo"
FEED_STREAM_SECONDS = 4


def run_async(coroutine):
    """Run a coroutine to the end from sync code, even inside Playwright's sync API (which runs a loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def load_demo(package: str, database_url: str) -> None:
    settings_cls = importlib.import_module(f"{package}.settings").Settings
    settings = settings_cls(database_url=database_url)
    engine = create_engine(database_url)
    try:
        await importlib.import_module(f"{package}.demo").load_demo(create_session_factory(engine), settings)
    finally:
        await engine.dispose()


@dataclass
class RunningPlatform:
    workdir: Path
    templates: DatabaseTemplates
    prefix: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:10]}.")
    apps: dict[str, AppProcess] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    services: tuple[str, ...] = SERVICES

    @property
    def url(self) -> str:
        return self.apps["gateway"].url

    async def _databases(self) -> dict[str, str]:
        urls = {}
        for service in self.services:
            urls[service] = pg_url(await self.templates.new_pg_database(service))
        urls["gateway"] = f"sqlite+aiosqlite:///{self.workdir / 'gateway.db'}"
        await asyncio.to_thread(migrate_gateway, urls["gateway"])
        # Demo data as `make run` loads it, every service at once (they share nothing).
        await asyncio.gather(*(load_demo(f"services.{s}", urls[s]) for s in self.services
                               if importlib.util.find_spec(f"services.{s}.demo") is not None))
        await load_demo("gateway", urls["gateway"])
        return urls

    def start(self) -> RunningPlatform:
        urls = run_async(self._databases())
        logs = self.workdir

        def env(app: str) -> dict[str, str]:
            return service_env(app, database_url=urls.get(app), broker_url=AMQP_URL, event_prefix=self.prefix,
                               extra={"MINSHENG_DEMO_PASSWORD": DEMO_PASSWORD,
                                      # Short-lived streams: the console's resume (Last-Event-ID) is exercised
                                      # in every live test, not once every two minutes.
                                      "COMMUNITY_FEED_STREAM_SECONDS": str(FEED_STREAM_SECONDS)})

        for service in self.services:
            self.apps[service] = AppProcess(service, env(service), log_path=logs / f"{service}.log")
        for service in self.services:
            self.apps[service].start(wait=False)
        for service in self.services:
            self.apps[service].wait_ready(90)
        gateway_env = {**env("gateway"), "GATEWAY_RATE_LIMIT_LOGIN": "300/minute"}  # each test signs in by the form
        for service in self.services:
            gateway_env[f"GATEWAY_UPSTREAM_{service.upper()}"] = self.apps[service].url
        self.apps["gateway"] = AppProcess("gateway", gateway_env, log_path=logs / "gateway.log").start()
        return self

    def stop(self) -> None:
        gateway = self.apps.get("gateway")
        if gateway:
            gateway.stop()  # first: no request reaches a service that is going away
        with ThreadPoolExecutor(len(self.apps) or 1) as pool:
            list(pool.map(lambda p: p.stop(), [p for name, p in self.apps.items() if name != "gateway"]))
        run_async(delete_broker_objects(self.prefix, SUBSCRIPTIONS))

    # The API, as a client of the gateway (what the tests compare the pages with).
    def token(self, username: str) -> str:
        if username in self.tokens:
            return self.tokens[username]
        r = httpx.post(f"{self.url}/api/v1/auth/token", data={"username": username, "password": DEMO_PASSWORD},
                       timeout=10)
        r.raise_for_status()
        self.tokens[username] = r.json()["access_token"]
        return self.tokens[username]

    def api(self, username: str, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token(username)}", **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.url}/api/v1/{path.lstrip('/')}", headers=headers, timeout=15,
                             **kwargs)
