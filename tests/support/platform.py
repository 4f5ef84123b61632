"""The whole platform as real processes: four services and the gateway, each on a free port, on databases
and a broker the test chooses (the machine's shared servers with a private prefix, or private servers that
a fault test may crash)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

from shared.migrate import SERVICES
from tests.support.processes import AppProcess, service_env

AREA_OF = {"renovation": "renovation", "jobs": "jobs", "community": "community", "chronic_care": "chronic-care"}


@dataclass
class Platform:
    database_urls: dict[str, str]  # service -> URL (migrated); "gateway" too when it has a database
    broker_url: str
    event_prefix: str
    logs: Path
    extra_env: dict[str, str] = field(default_factory=dict)
    apps: dict[str, AppProcess] = field(default_factory=dict)

    def _env(self, app: str) -> dict[str, str]:
        return service_env(app, database_url=self.database_urls.get(app), broker_url=self.broker_url,
                           event_prefix=self.event_prefix, extra=self.extra_env)

    async def start(self, services: tuple[str, ...] = SERVICES, *, gateway: bool = True) -> Platform:
        for name in services:
            self.apps[name] = AppProcess(name, self._env(name), log_path=self.logs / f"{name}.log")
        await asyncio.gather(*(asyncio.to_thread(self.apps[n].start) for n in services))
        if gateway:
            env = self._env("gateway")
            for name in services:
                env[f"GATEWAY_UPSTREAM_{name.upper()}"] = self.apps[name].url
            self.apps["gateway"] = AppProcess("gateway", env, log_path=self.logs / "gateway.log")
            await asyncio.to_thread(self.apps["gateway"].start)
        return self

    def url(self, app: str = "gateway") -> str:
        return self.apps[app].url

    async def restart(self, app: str) -> None:
        process = self.apps[app]
        process.kill()
        await asyncio.to_thread(process.start)

    def stop(self) -> None:
        for process in reversed(list(self.apps.values())):
            process.stop()
