"""The transactional outbox: a state change and its event commit together, or neither does."""

import asyncio

import pytest
from sqlalchemy import func, select

from shared.database import owned_transaction, unit_of_work
from shared.events.memory import InMemoryBroker, InMemoryBus
from shared.events.outbox import Outbox
from shared.events.relay import OutboxRelay
from shared.testing import equals, eventually
from shared.tests.conftest import OutboxMessage, Thing, outbox, status_changed


async def approve(session, thing_id):
    """A use case: one state change and its event, in one unit of work."""
    async with unit_of_work(session):
        thing = await session.get(Thing, thing_id)
        thing.status = "approved"
        await outbox.add(session, status_changed(thing_id))


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
    async with session_factory() as s, unit_of_work(s):
        thing = Thing(status="planned")
        s.add(thing)
    async with session_factory() as s:
        with pytest.raises(Boom):
            async with owned_transaction(s):
                await approve(s, thing.id)
                raise Boom
    async with session_factory() as s:
        assert (await s.get(Thing, thing.id)).status == "planned"
    assert await outbox_rows(session_factory) == 0
    assert await relay.publish_pending() == 0
    # The same use case committed: the state and its event both land, and the event is delivered.
    async with session_factory() as s:
        await approve(s, thing.id)
        assert (await s.get(Thing, thing.id)).status == "approved"
    assert await outbox_rows(session_factory) == 1
    assert await relay.publish_pending() == 1
    await eventually(lambda: probe.effects == [thing.id])
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


class RecordingBus(InMemoryBus):
    """Records each published batch's event ids; ``confirm_delay`` stands for the broker's confirms."""

    def __init__(self, batches: list[list], confirm_delay: float = 0.0):
        super().__init__(InMemoryBroker())
        self.batches = batches
        self.confirm_delay = confirm_delay

    async def publish(self, events):
        if self.confirm_delay:
            await asyncio.sleep(self.confirm_delay)
        self.batches.append([ev.id for ev in events])


def flat(batches: list[list]) -> list:
    return [event_id for batch in batches for event_id in batch]


async def unpublished_rows(session_factory) -> int:
    async with session_factory() as s:
        return await s.scalar(select(func.count()).select_from(OutboxMessage)
                              .where(OutboxMessage.published_at.is_(None)))


async def test_committed_events_are_published_from_memory_then_marked_and_never_swept_again(session_factory):
    published: list = []
    relay = OutboxRelay(session_factory, outbox, RecordingBus(published), sweep_interval=0.05, sweep_grace=0)
    relay.start()
    ids = []
    for _ in range(40):
        async with session_factory() as s, unit_of_work(s):
            ids.append((await outbox.add(s, status_changed())).id)
    await eventually(lambda: equals(unpublished_rows(session_factory), 0), timeout=5)
    await asyncio.sleep(0.3)  # several sweeps, with no grace: none may take a row the fast path published
    await relay.stop()
    assert flat(published) == ids  # each once, in commit order


async def test_the_periodic_sweep_leaves_young_rows_to_the_replica_that_committed_them(session_factory):
    """Another replica's commit is handed to that replica's relay, not to this one: this relay's sweep takes
    the row only once it is older than the grace (the other replica's fast path had its chance)."""
    published: list = []
    relay = OutboxRelay(session_factory, outbox, RecordingBus(published), sweep_interval=0.05, sweep_grace=1.0)
    relay.start()
    other_replica = Outbox(OutboxMessage)
    async with session_factory() as s, unit_of_work(s):
        event_id = (await other_replica.add(s, status_changed())).id
    await asyncio.sleep(0.5)
    assert published == []
    await eventually(lambda: flat(published) == [event_id], timeout=5)
    await relay.stop()
    assert await unpublished_rows(session_factory) == 0


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
    relay = OutboxRelay(session_factory, outbox, bus, sweep_interval=0.1, sweep_grace=0.2)
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


async def test_relays_sharing_an_outbox_publish_each_event_once_in_order(session_factory):
    """Replicas of a service each run a relay on the same table: a batch being published is locked, so the
    other relays take other rows, and every event leaves once, oldest first within a batch."""
    published: list[list] = []
    ids = []
    for _ in range(120):
        async with session_factory() as s, unit_of_work(s):
            ids.append((await outbox.add(s, status_changed())).id)
    # Confirms slow enough for the relays' batches to overlap.
    relays = [OutboxRelay(session_factory, outbox, RecordingBus(published, confirm_delay=0.01), batch_size=10)
              for _ in range(3)]

    async def drain(relay):
        while await relay.publish_pending():
            pass

    await asyncio.gather(*(drain(r) for r in relays))
    assert sorted(flat(published)) == sorted(ids)  # each event once: none lost, none twice
    for batch in published:
        assert batch == sorted(batch, key=ids.index)  # a batch goes out in commit order
    assert await unpublished_rows(session_factory) == 0
