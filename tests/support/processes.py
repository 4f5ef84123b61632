"""Apps as real processes (uvicorn) on free ports, for tests that cross processes: flows, faults, replicas."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.testing_servers import free_port

ROOT = Path(__file__).resolve().parents[2]
ENV_PREFIX = {"renovation": "RENOVATION_", "jobs": "JOBS_", "community": "COMMUNITY_",
              "chronic_care": "CHRONIC_CARE_", "gateway": "GATEWAY_"}


def app_target(app: str) -> str:
    return "gateway.app:create_app" if app == "gateway" else f"services.{app}.app:create_app"


@dataclass
class AppProcess:
    """One app in its own uvicorn process. ``kill()`` is a crash; ``stop()`` a graceful SIGTERM."""

    app: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, wait: bool = True, timeout: float = 60) -> AppProcess:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", app_target(self.app), "--host", "127.0.0.1",
             "--port", str(self.port), "--no-access-log", "--timeout-graceful-shutdown", "5"],
            cwd=ROOT, env={**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=log,
            start_new_session=True,
        )
        if wait:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} exited with {self.process.returncode}; log: {self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{self.app} not ready within {timeout}s; log: {self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path or not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 20) -> int | None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode if self.process else None


def service_env(app: str, *, database_url: str | None, broker_url: str, event_prefix: str,
                extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {"MINSHENG_BROKER_URL": broker_url, "MINSHENG_EVENT_PREFIX": event_prefix,
           "MINSHENG_EVENT_BUS": "rabbitmq", "MINSHENG_LOG_LEVEL": "INFO"}
    if database_url:
        env[f"{ENV_PREFIX[app]}DATABASE_URL"] = database_url
        env[f"{ENV_PREFIX[app]}OUTBOX_SWEEP_SECONDS"] = "0.2"
    return {**env, **(extra or {})}
