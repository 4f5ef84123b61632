"""Fixtures for the event-layer tests: a real service database (renovation's, which has outbox and inbox
tables) and a probe consumer whose handler records its effects."""

import uuid
from datetime import UTC, datetime

import pytest

from services.renovation.db import InboxMessage, outbox
from shared.database import create_engine, create_session_factory
from shared.events.bus import WireEvent
from shared.events.consumer import EventConsumer
from shared.events.contracts.renovation import ProjectStatusChangedV1


@pytest.fixture
async def session_factory(database_url_for, db_backend):
    engine = create_engine(await database_url_for("renovation", db_backend))
    yield create_session_factory(engine)
    await engine.dispose()


class Probe:
    """A consumer whose effect is a list of handled project ids; ``fail`` makes the handler raise."""

    def __init__(self, session_factory, name="probe"):
        self.effects: list[uuid.UUID] = []
        self.attempts = 0
        self.fail = False
        self.consumer = EventConsumer(name, InboxMessage).bind(session_factory)

        @self.consumer.on(ProjectStatusChangedV1)
        async def record(session, event, envelope):
            self.attempts += 1
            if self.fail:
                raise RuntimeError("handler down")
            self.effects.append(event.project_id)


@pytest.fixture
def probe(session_factory):
    return Probe(session_factory)


def status_changed(project_id=None) -> ProjectStatusChangedV1:
    return ProjectStatusChangedV1(project_id=project_id or uuid.uuid4(), from_status="planned", to_status="approved",
                                  street_code="330109005", area_m2=100.0, changed_at=datetime.now(UTC))


def wire(contract=None) -> WireEvent:
    envelope = (contract or status_changed()).envelope()
    return WireEvent(envelope.id, envelope.type, envelope.routing_key, envelope.model_dump_json().encode())


__all__ = ["Probe", "outbox", "status_changed", "wire"]
