"""The in-process bus (embedded mode) keeps the broker's promises: once-only effects and dead-lettering."""

import json

import pytest

from shared.events.memory import InMemoryBroker, InMemoryBus
from shared.testing import eventually
from shared.tests.conftest import status_changed, wire


@pytest.fixture
def db_backend():
    return "sqlite"  # embedded mode runs on the embedded database


async def test_duplicates_fold_and_bad_messages_are_dead_lettered(probe):
    broker = InMemoryBroker(delivery_limit=3)
    bus = InMemoryBus(broker, retry_delay=0)
    await bus.start()
    await bus.declare({"probe": probe.consumer.routing_keys})
    event = wire()
    await bus.publish([event, event])  # published before anyone consumes: the declared queue keeps it
    await bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    await eventually(lambda: len(probe.effects) == 1)
    future = json.loads(wire().body)
    future["version"] = 7
    await bus.publish([event.__class__(event.id, event.type, event.routing_key, json.dumps(future).encode())])
    probe.fail = True
    await bus.publish([wire(status_changed())])
    await eventually(lambda: len(broker.dead_letters["probe"]) == 2)
    assert probe.attempts == 1 + 3  # the good one, then the failing one up to the delivery limit
    assert len(probe.effects) == 1
    await bus.close()
