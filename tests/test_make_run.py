"""`make run` on a fresh clone (no virtual environment) comes up, answers through the gateway, and stops
cleanly on Ctrl-C; without a broker it says so and runs embedded."""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from shared.events.topology import SUBSCRIPTIONS
from shared.testing import AMQP_URL, delete_broker_objects
from shared.testing_servers import free_port

ROOT = Path(__file__).resolve().parents[1]
APPS = ("gateway", "renovation", "jobs", "community", "chronic_care")


def run_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINSHENG_", "GATEWAY_", "VIRTUAL_ENV"))}
    env.update({f"{app.upper()}_PORT": str(free_port()) for app in APPS})
    env.update(extra)
    return env


def wait_for_gateway(process: subprocess.Popen, port: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"make run exited early with {process.returncode}")
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
            if r.status_code == 200:
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"gateway not ready within {timeout}s")


def interrupt_and_wait(process: subprocess.Popen, timeout: float = 60) -> int:
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends to the foreground group
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        raise


def sign_in_and_list(port: str) -> None:
    base = f"http://127.0.0.1:{port}"
    token = httpx.post(f"{base}/api/v1/auth/token", data={"username": "admin", "password": "minsheng-demo"},
                       timeout=10).json()["access_token"]
    r = httpx.get(f"{base}/api/v1/renovation/projects", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 200 and r.json()["items"], r.text


@pytest.mark.slow
def test_make_run_on_a_fresh_clone_comes_up_and_stops_cleanly(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    assert not (clone / ".venv").exists()
    prefix = f"t{uuid.uuid4().hex[:10]}."
    env = run_env({"MINSHENG_EVENT_PREFIX": prefix, "MINSHENG_BROKER_URL": AMQP_URL})
    log = tmp_path / "make-run.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(["make", "run"], cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        ready = wait_for_gateway(process, env["GATEWAY_PORT"], timeout=420)
        assert ready["status"] == "ready"
        sign_in_and_list(env["GATEWAY_PORT"])
        interrupt_and_wait(process)  # make itself reports an interrupt; what matters is what it ran
        text = log.read_text(errors="replace")
        assert "separate processes" in text and "[minsheng] stopped" in text
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{env['GATEWAY_PORT']}/healthz", timeout=2)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        asyncio.run(delete_broker_objects(prefix, SUBSCRIPTIONS))
        print(log.read_text(errors="replace")[-3000:])


@pytest.mark.slow
def test_without_a_broker_it_runs_embedded_and_says_so(tmp_path):
    closed = free_port()
    env = run_env({"MINSHENG_BROKER_URL": f"amqp://guest:guest@127.0.0.1:{closed}/"})
    for service in APPS[1:]:
        env[f"{service.upper()}_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/{service}.db"
    env["GATEWAY_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/gateway.db"
    log = tmp_path / "run.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "scripts.run"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        ready = wait_for_gateway(process, env["GATEWAY_PORT"], timeout=120)
        assert ready["status"] == "ready"
        sign_in_and_list(env["GATEWAY_PORT"])
        assert interrupt_and_wait(process) == 0
        text = log.read_text(errors="replace")
        assert "EMBEDDED" in text and "not reachable" in text.lower()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
