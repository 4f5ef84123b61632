from contextlib import asynccontextmanager

import pytest

from services.community.app import create_app
from services.community.settings import Settings
from shared.testing import running_app


@pytest.fixture
async def make_client(database_url_for, event_prefix):
    """``async with make_client(backend, **settings) as client``: the service on a fresh database and the real
    broker. ``client.app.state.clock`` may be set to fix the service's time. The escalation sweep is off unless
    a test turns it on (``escalation_sweep_seconds=...``): tests drive it at a clock they choose."""

    def factory(backend: str = "postgresql", *, url: str | None = None, clock=None, **overrides):
        @asynccontextmanager
        async def ctx():
            database_url = url or await database_url_for("community", backend)
            settings = {"database_url": database_url, "event_prefix": event_prefix, "event_bus": "rabbitmq",
                        "outbox_sweep_seconds": 0.2, "escalation_sweep_seconds": 0, **overrides}
            app = create_app(Settings(**settings))
            if clock is not None:
                app.state.clock = clock  # before start-up: the background sweep reads it too
            async with running_app(app) as client:
                client.app = app
                client.database_url = database_url
                yield client

        return ctx()

    return factory
