from contextlib import asynccontextmanager

import pytest

from services.jobs.app import create_app
from services.jobs.settings import Settings
from shared.testing import running_app


@pytest.fixture
async def make_client(database_url_for, event_prefix):
    """``async with make_client(backend) as client``: the service on a fresh database and the real broker.
    ``client.app.state.clock`` may be set to fix the service's time."""

    def factory(backend: str = "postgresql", **settings):
        @asynccontextmanager
        async def ctx():
            url = await database_url_for("jobs", backend)
            app = create_app(Settings(database_url=url, event_prefix=event_prefix, event_bus="rabbitmq",
                                      outbox_sweep_seconds=0.2, expiry_sweep_seconds=0, **settings))
            async with running_app(app) as client:
                client.app = app
                yield client

        return ctx()

    return factory
