"""Fault tests: a private RabbitMQ node and a private PostgreSQL cluster on free ports (the only servers they
crash), the services and the gateway as processes on them. One command runs them all:

    .venv/bin/python -m pytest tests/faults -m faults -q      # MINSHENG_FAULT_EVENTS=10000 for the full run
"""

from __future__ import annotations

import os

import pytest

from tests.e2e.platform import run_async
from tests.faults.support import PrivateServers, platform_on

FAULT_EVENTS = int(os.environ.get("MINSHENG_FAULT_EVENTS", "1000"))


def pytest_configure(config):
    config.addinivalue_line("markers", "faults: crashes private servers and processes (tests/faults)")


@pytest.fixture(scope="session")
def servers(tmp_path_factory):
    private = PrivateServers(tmp_path_factory.mktemp("faults"))
    try:
        run_async(private.start())
    except Exception:
        private.stop()
        raise
    yield private
    private.stop()


@pytest.fixture(scope="module")
def platform(servers, tmp_path_factory):
    """The four services and the gateway on the private servers; tight gateway deadlines so that a hung
    service shows within a test's time."""
    running = platform_on(servers, tmp_path_factory.mktemp("logs"), GATEWAY_UPSTREAM_TIMEOUT="1.5",
                          GATEWAY_REQUEST_DEADLINE="3", GATEWAY_BREAKER_FAILURES="3",
                          GATEWAY_BREAKER_OPEN_SECONDS="3", GATEWAY_READY_REQUIRES_UPSTREAMS="false")
    try:
        run_async(running.start())
    except Exception:
        running.stop()
        raise
    yield running
    running.stop()
