"""The RabbitMQ bus end to end: idempotent consumption, dead-lettering, and a broker crash mid-stream."""

import asyncio
import json
import uuid

import aio_pika
import pytest

from shared.database import unit_of_work
from shared.events.bus import dead_letter_queue_name, exchange_name
from shared.events.rabbitmq import RabbitMQBus
from shared.events.relay import OutboxRelay
from shared.testing import AMQP_URL, delete_broker_objects, eventually, require_broker
from shared.testing_servers import PrivateRabbitMQ
from shared.tests.conftest import Probe, outbox, status_changed, wire


@pytest.fixture
def db_backend():
    return "postgresql"


@pytest.fixture
async def buses(event_prefix):
    await (await require_broker()).close()
    made = []

    async def make(delivery_limit=3, url=AMQP_URL):
        bus = RabbitMQBus(url, prefix=event_prefix, delivery_limit=delivery_limit, connection_name="test")
        await bus.start()
        made.append(bus)
        return bus

    yield make
    for bus in made:
        await bus.close()


async def dead_letters(prefix: str, consumer: str = "probe", url: str = AMQP_URL) -> list[bytes]:
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(dead_letter_queue_name(prefix, consumer), durable=True,
                                            arguments={"x-queue-type": "quorum"})
        bodies = []
        while message := await queue.get(fail=False, no_ack=True):
            bodies.append(message.body)
        return bodies


def event_id_of(event):
    return uuid.UUID(json.loads(event.body)["data"]["project_id"])


async def publish_raw(prefix: str, routing_key: str, body: bytes) -> None:
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(prefix, "renovation"), "topic", durable=True)
        await exchange.publish(aio_pika.Message(body), routing_key=routing_key)


async def test_the_same_event_delivered_twice_has_its_effect_once(buses, probe):
    consumer_bus, producer_bus = await buses(), await buses()
    await consumer_bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    event = wire()
    await producer_bus.publish([event])
    await producer_bus.publish([event])
    await eventually(lambda: probe.attempts == 1 and len(probe.effects) == 1)
    await asyncio.sleep(0.3)  # give the second delivery time to arrive and be recognised
    assert await probe.committed_effects() == [event_id_of(event)]
    assert await probe.inbox_rows() == 1


async def test_poison_and_unknown_versions_are_dead_lettered_and_the_rest_flows(buses, probe, event_prefix):
    bus = await buses()
    await bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    rk = probe.consumer.routing_keys[0]
    await publish_raw(event_prefix, rk, b"{not json")
    future = json.loads(wire().body)
    future["version"] = 2
    await publish_raw(event_prefix, rk, json.dumps(future).encode())
    broken = json.loads(wire().body)
    broken["data"].pop("project_id")
    await publish_raw(event_prefix, rk, json.dumps(broken).encode())
    good = status_changed()
    await (await buses()).publish([wire(good)])
    await eventually(lambda: probe.effects == [good.project_id])
    dead = await eventually(lambda: _at_least(dead_letters(event_prefix), 3))
    assert dead[0] == b"{not json"
    assert {json.loads(b).get("version") for b in dead[1:]} == {1, 2}
    assert probe.attempts == 1  # none of the bad messages reached the handler


async def _at_least(coro, n):
    items = await coro
    return items if len(items) >= n else None


async def test_a_handler_that_keeps_failing_is_dead_lettered_after_the_delivery_limit(buses, probe, event_prefix):
    bus = await buses(delivery_limit=3)
    probe.fail = True
    await bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    await (await buses()).publish([wire()])
    dead = await eventually(lambda: _at_least(dead_letters(event_prefix), 1), timeout=15)
    assert len(dead) == 1
    # x-delivery-limit 3: the first delivery plus 3 redeliveries, then the dead-letter queue; never forever.
    assert 3 <= probe.attempts <= 4
    attempts = probe.attempts
    await asyncio.sleep(0.5)
    assert probe.attempts == attempts and probe.effects == []
    # The consumer keeps working for the next event.
    probe.fail = False
    ok = status_changed()
    await (await buses()).publish([wire(ok)])
    await eventually(lambda: probe.effects == [ok.project_id])


@pytest.mark.slow
async def test_broker_crash_while_producing_loses_nothing_and_duplicates_nothing(session_factory, event_prefix):
    """kill -9 of a private RabbitMQ node mid-stream: every committed event arrives, each handled once."""
    node = PrivateRabbitMQ()
    await asyncio.to_thread(node.start)
    factory = session_factory
    probe = Probe(factory)
    producer = RabbitMQBus(node.url, prefix=event_prefix, connection_name="producer")
    consumer_bus = RabbitMQBus(node.url, prefix=event_prefix, connection_name="consumer")
    try:
        await producer.start()
        await consumer_bus.start()
        await consumer_bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
        relay = OutboxRelay(factory, outbox, producer, sweep_interval=0.2)
        relay.start()
        total, sent = 300, []
        for i in range(total):
            if i == 100:
                await asyncio.to_thread(node.kill)  # crash: SIGKILL, no goodbye
                restart = asyncio.create_task(asyncio.to_thread(node.start))
            event = status_changed()
            async with factory() as s, unit_of_work(s):
                await outbox.add(s, event)
            sent.append(event.project_id)
            await asyncio.sleep(0.01)
        await restart
        await eventually(lambda: len(probe.effects) >= total, timeout=90, interval=0.2)
        await asyncio.sleep(1)
        assert sorted(await probe.committed_effects()) == sorted(sent)  # all of them, none twice
        await relay.stop()
    finally:
        await consumer_bus.close()
        await producer.close()
        await delete_broker_objects(event_prefix, {}, url=node.url)
        await asyncio.to_thread(node.stop_and_remove)


async def test_ops_can_list_and_replay_the_dead_letter_queue(buses, probe, event_prefix):
    from shared.events.ops import consumer_lag, dlq_list, dlq_replay
    from shared.settings import PlatformSettings

    settings = PlatformSettings(broker_url=AMQP_URL, event_prefix=event_prefix)
    bus = await buses(delivery_limit=1)
    probe.fail = True
    await bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle)
    event = status_changed()
    await (await buses()).publish([wire(event)])
    listed = await eventually(lambda: dlq_list(settings, "probe"), timeout=15)
    assert listed[0]["type"] == "renovation.project.status_changed" and listed[0]["reason"] == "delivery_limit"
    assert len(await dlq_list(settings, "probe")) == 1  # listing does not consume
    probe.fail = False  # the fault is fixed; replay
    assert await dlq_replay(settings, "probe") == 1
    await eventually(lambda: probe.effects == [event.project_id])
    lag = await consumer_lag(settings)
    assert set(lag) == {"renovation", "jobs", "community", "chronic_care"}


async def test_batched_consumption_handles_each_event_once_and_isolates_a_failing_one(buses, probe, event_prefix):
    bad = status_changed()
    original = probe.consumer.handlers[("renovation.project.status_changed", 1)]

    async def fail_on_bad(session, event, envelope):
        if event.project_id == bad.project_id:
            raise RuntimeError("this one is broken")
        await original(session, event, envelope)

    probe.consumer.handlers[("renovation.project.status_changed", 1)] = fail_on_bad
    consumer_bus = await buses(delivery_limit=2)
    good = [status_changed() for _ in range(60)]
    events = [wire(e) for e in good]
    producer = await buses()
    await consumer_bus.declare({"probe": probe.consumer.routing_keys})  # the queue exists: a backlog forms
    await producer.publish([*events, wire(bad), *events[:20]])  # 20 duplicates among them
    await consumer_bus.subscribe("probe", probe.consumer.routing_keys, probe.consumer.handle,
                                 batch_handler=probe.consumer.handle_batch)
    await eventually(lambda: len(probe.effects) >= 60, timeout=20)
    dead = await eventually(lambda: _at_least(dead_letters(event_prefix), 1), timeout=20)
    assert await probe.inbox_rows() == 60  # each good event recorded once; the broken one never committed
    assert sorted(await probe.committed_effects()) == sorted(e.project_id for e in good)
    assert json.loads(dead[0])["data"]["project_id"] == str(bad.project_id)
