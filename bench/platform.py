"""The platform as deployed on one box: each service and the gateway its own uvicorn process on PostgreSQL
databases given by the caller, events through RabbitMQ under a throw-away prefix; RSS sampled from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from gateway.auth.tokens import issue_user_token
from shared.settings import DEV_JWT_SECRET
from shared.testing_servers import free_port

SERVICES = ("renovation", "jobs", "community", "chronic_care")


class Platform:
    def __init__(self, urls: dict[str, str], workdir: Path, *, event_prefix: str, gateway_env: dict[str, str],
                 gateway_args: list[str] | None = None):
        self.urls, self.workdir, self.prefix = urls, workdir, event_prefix
        self.gateway_args = gateway_args or []
        self.ports = {name: free_port() for name in (*SERVICES, "gateway")}
        self.gateway_env = gateway_env
        self.processes: dict[str, subprocess.Popen] = {}
        self.peak_rss: dict[str, int] = {}
        self._sampling = False

    def base(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self) -> None:
        common = {**os.environ, "MINSHENG_LOG_LEVEL": "WARNING", "MINSHENG_EVENT_BUS": "rabbitmq",
                  "MINSHENG_EVENT_PREFIX": self.prefix, "PYTHONUNBUFFERED": "1"}
        for service in SERVICES:
            env = {**common, f"{service.upper()}_DATABASE_URL": self.urls[service]}
            self._spawn(service, f"services.{service}.app:create_app", env)
        self._gateway_env = env = {**common, **self.gateway_env, "GATEWAY_DATABASE_URL": self.urls["gateway"],
               "GATEWAY_ACCESS_LOG": "false",
               **{f"GATEWAY_UPSTREAM_{s.upper()}": self.base(s) for s in SERVICES}}
        self._spawn("gateway", "gateway.app:create_app", env, self.gateway_args)
        for name in self.processes:
            wait_ok(f"{self.base(name)}/readyz", timeout=90)

    def restart_gateway(self, extra: list[str] = (), env: dict[str, str] | None = None) -> None:
        """The gateway again with other uvicorn options and/or settings (the services keep running)."""
        process = self.processes["gateway"]
        process.terminate()
        process.wait(timeout=20)
        self.gateway_args = list(extra)
        self._spawn("gateway", "gateway.app:create_app", {**self._gateway_env, **(env or {})}, self.gateway_args)
        wait_ok(f"{self.base('gateway')}/readyz", timeout=60)

    def _spawn(self, name: str, target: str, env: dict[str, str], extra: list[str] = ()) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port",
             str(self.ports[name]), "--no-access-log", "--loop", "uvloop", "--http", "httptools", *extra],
            env=env, stdout=log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    def rss_mb(self) -> dict[str, float]:
        return {name: rss_kb(p.pid, "VmRSS") / 1024 for name, p in self.processes.items()}

    def sample_peaks(self, interval: float = 0.2):
        """Context manager: the highest VmRSS seen per process while inside (the load run only)."""
        platform = self

        class _Sampler:
            def __enter__(self):
                platform.peak_rss = {name: 0 for name in platform.processes}
                platform._sampling = True
                self.thread = threading.Thread(target=self.run, daemon=True)
                self.thread.start()
                return platform.peak_rss

            def run(self):
                while platform._sampling:
                    for name, process in platform.processes.items():
                        platform.peak_rss[name] = max(platform.peak_rss[name], rss_kb(process.pid, "VmRSS"))
                    time.sleep(interval)

            def __exit__(self, *exc):
                platform._sampling = False
                self.thread.join()

        return _Sampler()


def rss_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait_ok(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own local URL)
                if response.status == 200:
                    return
        except Exception:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def user_token(subject: str, roles: list[str], person_ref: str | None = None) -> str:
    return issue_user_token(subject=subject, roles=roles, person_ref=person_ref, street_code=None,
                            secret=DEV_JWT_SECRET, issuer="minsheng-gateway", audience="minsheng-api",
                            minutes=240).token
