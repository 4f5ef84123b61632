import pytest

from services.renovation.app import create_app
from services.renovation.settings import Settings
from shared.testing import running_app


@pytest.fixture
async def make_client(database_url_for, event_prefix):
    """``async with make_client(backend) as client``: the service on a fresh database and the real broker."""

    def factory(backend: str = "postgresql"):
        from contextlib import asynccontextmanager

        @asynccontextmanager
        async def ctx():
            url = await database_url_for("renovation", backend)
            app = create_app(Settings(database_url=url, event_prefix=event_prefix, event_bus="rabbitmq",
                                      outbox_sweep_seconds=0.2))
            async with running_app(app) as client:
                client.app = app
                yield client

        return ctx()

    return factory
