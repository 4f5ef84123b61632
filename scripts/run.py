"""``make run``: migrate, load demo data, start the gateway and the four services, print the URLs.

With RabbitMQ reachable at MINSHENG_BROKER_URL each app runs as its own process (as in production);
otherwise everything runs in ONE process with the in-process event bus (embedded mode), said loudly.
Ctrl-C (or SIGTERM) stops everything cleanly. Ports: GATEWAY_PORT (8000), RENOVATION_PORT (8101),
JOBS_PORT (8102), COMMUNITY_PORT (8103), CHRONIC_CARE_PORT (8104); host: MINSHENG_HOST (127.0.0.1).
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import subprocess
import sys
import time
import urllib.request

import aio_pika

from shared.database import create_engine, create_session_factory
from shared.migrate import SERVICES, ensure_sqlite_dir, upgrade
from shared.settings import PlatformSettings

DEFAULT_PORTS = {"gateway": 8000, "renovation": 8101, "jobs": 8102, "community": 8103, "chronic_care": 8104}
HOST = os.environ.get("MINSHENG_HOST", "127.0.0.1")


def port_of(app: str) -> int:
    return int(os.environ.get(f"{app.upper()}_PORT", DEFAULT_PORTS[app]))


def app_target(app: str) -> str:
    return "gateway.app:create_app" if app == "gateway" else f"services.{app}.app:create_app"


def say(message: str) -> None:
    print(f"[minsheng] {message}", flush=True)


async def broker_reachable(url: str) -> bool:
    try:
        connection = await aio_pika.connect(url, timeout=3)
    except Exception:
        return False
    await connection.close()
    return True


def migrate_all() -> None:
    for service in SERVICES:
        upgrade(service)
    gateway_migrations = importlib.util.find_spec("gateway.migrate")
    if gateway_migrations is not None:
        importlib.import_module("gateway.migrate").upgrade()
    say("databases migrated")


async def load_demo_data() -> None:
    for app in (*SERVICES, "gateway"):
        package = "gateway" if app == "gateway" else f"services.{app}"
        if importlib.util.find_spec(f"{package}.demo") is None:
            continue
        settings = importlib.import_module(f"{package}.settings").Settings()
        ensure_sqlite_dir(settings.database_url)
        engine = create_engine(settings.database_url)
        try:
            await importlib.import_module(f"{package}.demo").load_demo(create_session_factory(engine), settings)
        finally:
            await engine.dispose()
    say("demo data loaded")


def upstream_env() -> dict[str, str]:
    env = {}
    for service in SERVICES:
        env.setdefault(f"GATEWAY_UPSTREAM_{service.upper()}", f"http://{HOST}:{port_of(service)}")
    return {k: os.environ.get(k, v) for k, v in env.items()}


def wait_ready(url: str, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own local URL)
                if response.status == 200:
                    return True
        except Exception:
            time.sleep(0.3)
    return False


def print_urls(mode: str) -> None:
    say(f"mode: {mode}")
    say(f"gateway      http://{HOST}:{port_of('gateway')}  (API /api/v1/..., docs /docs, console /console/)")
    for service in SERVICES:
        say(f"{service:<12} http://{HOST}:{port_of(service)}")
    say("demo users: admin, auditor, renovation, jobs, jobs-approver, community, doctor, resident "
        f"(password: {os.environ.get('MINSHENG_DEMO_PASSWORD', 'minsheng-demo')})")
    say("Ctrl-C stops everything")


def run_processes(env: dict[str, str]) -> int:
    """Production-like: one uvicorn process per app, events through RabbitMQ."""
    children: dict[str, subprocess.Popen] = {}
    for app in (*SERVICES, "gateway"):
        children[app] = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", app_target(app), "--host", HOST,
             "--port", str(port_of(app)), "--no-access-log", "--timeout-graceful-shutdown", "10"],
            env=env,
        )
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if wait_ready(f"http://{HOST}:{port_of('gateway')}/readyz"):
        print_urls("separate processes, events through RabbitMQ")
    else:
        say("WARNING: the gateway did not become ready within 60 s; see the logs above")
    exit_code = 0
    while not stopping:
        for app, child in children.items():
            if child.poll() is not None:
                say(f"{app} exited with {child.returncode}; stopping the platform")
                stopping, exit_code = True, 1
        time.sleep(0.3)
    say("stopping...")
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children.values():
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
    say("stopped")
    return exit_code


async def run_embedded() -> int:
    """No broker: every app in this one process, sharing the in-process bus."""
    import uvicorn

    servers = []
    for app in (*SERVICES, "gateway"):
        factory = importlib.import_module(app_target(app).split(":")[0]).create_app
        config = uvicorn.Config(factory(), host=HOST, port=port_of(app), log_level="warning", access_log=False,
                                timeout_graceful_shutdown=10)
        servers.append(uvicorn.Server(config))
    # _serve, not serve: serve() installs its own signal handlers, and five servers would fight over them;
    # this process handles SIGINT/SIGTERM once and stops every server.
    tasks = [asyncio.create_task(server._serve()) for server in servers]
    ready = await asyncio.to_thread(wait_ready, f"http://{HOST}:{port_of('gateway')}/readyz")
    if ready:
        print_urls("EMBEDDED (one process, in-process event bus; start RabbitMQ for the production layout)")
    else:
        say("WARNING: the gateway did not become ready within 60 s; see the logs above")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    done_waiter = asyncio.create_task(asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED))
    await asyncio.wait([asyncio.create_task(stop.wait()), done_waiter], return_when=asyncio.FIRST_COMPLETED)
    say("stopping...")
    for server in servers:
        server.should_exit = True
    await asyncio.gather(*tasks, return_exceptions=True)
    say("stopped")
    return 0


def main() -> int:
    platform = PlatformSettings()
    mode = platform.event_bus
    if mode == "auto":
        mode = "rabbitmq" if asyncio.run(broker_reachable(platform.broker_url)) else "memory"
    if mode == "memory":
        say(f"RabbitMQ is NOT reachable at {platform.broker_url}: starting in EMBEDDED mode (one process)")
    migrate_all()
    asyncio.run(load_demo_data())
    env = {**os.environ, **upstream_env(), "MINSHENG_EVENT_BUS": mode, "PYTHONUNBUFFERED": "1"}
    if mode == "rabbitmq":
        return run_processes(env)
    os.environ.update(env)
    return asyncio.run(run_embedded())


if __name__ == "__main__":
    sys.exit(main())
