"""One platform per module: the four services and the gateway as real processes on fresh PostgreSQL databases
with demo data, events through the machine's RabbitMQ under a private prefix (as the browser tests run it)."""

from __future__ import annotations

import pytest

from tests.e2e.platform import RunningPlatform
from tests.flows.scenarios import Client


@pytest.fixture(scope="module")
def platform(db_templates, tmp_path_factory):
    running = RunningPlatform(tmp_path_factory.mktemp("flows"), db_templates)
    try:
        running.start()
    except Exception:
        running.stop()
        raise
    yield running
    running.stop()


@pytest.fixture(scope="module")
def api(platform):
    client = Client(platform.url)
    yield client
    client.http.close()
