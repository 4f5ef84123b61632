"""The transactional outbox: a state change and its event commit together, or neither does."""

import pytest
from sqlalchemy import func, select

from services.renovation.db import OutboxMessage, outbox
from services.renovation.projects import service
from services.renovation.projects.schemas import ProjectCreate
from shared.database import owned_transaction, unit_of_work
from shared.events.memory import InMemoryBroker, InMemoryBus
from shared.events.relay import OutboxRelay
from shared.testing import eventually
from shared.tests.conftest import status_changed

NEW = ProjectCreate(name="test", street_code="330109005", area_m2=10, budget_fen=100, planned_start="2026-01-01",
                    planned_end="2026-02-01")


class Boom(Exception):
    pass


async def outbox_rows(session_factory) -> int:
    async with session_factory() as s:
        return await s.scalar(select(func.count()).select_from(OutboxMessage))


async def test_rolled_back_use_case_leaves_no_state_and_no_event(session_factory, probe):
    broker = InMemoryBroker()
    bus = InMemoryBus(broker)
    await bus.start()
    await bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    relay = OutboxRelay(session_factory, outbox, bus)
    async with session_factory() as s:
        project = await service.create_project(s, data=NEW)
    async with session_factory() as s:
        with pytest.raises(Boom):
            async with owned_transaction(s):
                await service.transition_project(s, project_id=project.id, action="approve", actor="t")
                raise Boom
    async with session_factory() as s:
        assert (await service.get_project(s, project_id=project.id)).status == "planned"
    assert await outbox_rows(session_factory) == 0
    assert await relay.publish_pending() == 0
    # The same transition committed: the state and its event both land, and the event is delivered.
    async with session_factory() as s:
        await service.transition_project(s, project_id=project.id, action="approve", actor="t")
    assert await outbox_rows(session_factory) == 1
    assert await relay.publish_pending() == 1
    await eventually(lambda: probe.effects == [project.id])
    assert await relay.publish_pending() == 0  # published rows are not published again
    await bus.close()


async def test_a_raising_unit_of_work_adds_nothing(session_factory):
    async with session_factory() as s:
        with pytest.raises(Boom):
            async with unit_of_work(s):
                await outbox.add(s, status_changed())
                raise Boom
    assert await outbox_rows(session_factory) == 0


async def test_relay_wakes_on_commit_without_waiting_for_the_sweep(session_factory, probe):
    bus = InMemoryBus(InMemoryBroker())
    await bus.start()
    await bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    relay = OutboxRelay(session_factory, outbox, bus, sweep_interval=60)  # the sweep would come far too late
    relay.start()
    event = status_changed()
    async with session_factory() as s, unit_of_work(s):
        await outbox.add(s, event)
    await eventually(lambda: probe.effects == [event.project_id], timeout=5)
    await relay.stop()
    await bus.close()


async def test_unpublished_rows_are_swept_after_a_publish_failure(session_factory, probe):
    class FlakyBus(InMemoryBus):
        failures = 2

        async def publish(self, events):
            if self.failures:
                self.failures -= 1
                raise ConnectionError("broker away")
            await super().publish(events)

    bus = FlakyBus(InMemoryBroker())
    await bus.start()
    await bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    relay = OutboxRelay(session_factory, outbox, bus, sweep_interval=0.1)
    event = status_changed()
    async with session_factory() as s, unit_of_work(s):
        await outbox.add(s, event)
    relay.start()
    await eventually(lambda: probe.effects == [event.project_id], timeout=10)
    async with session_factory() as s:
        row = (await s.execute(select(OutboxMessage))).scalar_one()
    assert row.published_at is not None and row.attempts == 3 and "broker away" in row.last_error
    await relay.stop()
    await bus.close()
