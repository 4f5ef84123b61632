"""The relay's batch publish on a real broker: one write carries many events, each still confirmed, routed and
received whole; a channel that closes under a batch makes the publish raise instead of hang."""

import asyncio
import uuid

import aio_pika
import aiormq
import pytest

from shared.events.amqp_batch import publish_batch
from shared.events.bus import WireEvent
from shared.testing import require_broker


@pytest.fixture
async def exchange_and_queue():
    connection = await require_broker()
    name = f"t{uuid.uuid4().hex[:10]}.batch"
    setup = await connection.channel()
    exchange = await setup.declare_exchange(name, aio_pika.ExchangeType.TOPIC, auto_delete=False)
    queue = await setup.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
    await queue.bind(exchange, routing_key="renovation.#")
    try:
        yield connection, name, queue
    finally:
        cleanup = await connection.channel()
        await cleanup.queue_delete(name)
        await cleanup.exchange_delete(name)
        await connection.close()


def event(i: int, size: int = 40) -> WireEvent:
    return WireEvent(uuid.uuid4(), "renovation.project.status_changed", "renovation.project.status_changed.v1",
                     f'{{"n":{i},"pad":"{"x" * size}"}}'.encode())


async def drain(queue, n: int) -> list:
    received = []
    for _ in range(200):
        while len(received) < n and (message := await queue.get(fail=False, no_ack=True)) is not None:
            received.append(message)
        if len(received) == n:
            break
        await asyncio.sleep(0.05)
    return received


async def test_a_batch_arrives_whole_in_order_with_its_ids_and_types(exchange_and_queue):
    connection, name, queue = exchange_and_queue
    channel = await (await connection.channel(publisher_confirms=True)).get_underlay_channel()
    # One event larger than a frame (the broker's frame_max is 128 KiB): its body is split and joined again.
    events = [event(i) for i in range(300)] + [event(300, size=300_000)]
    await publish_batch(channel, [name] * len(events), events, timeout=10)
    await publish_batch(channel, [name], [event(301)], timeout=10)  # delivery tags stay in step afterwards
    await publish_batch(channel, [], [], timeout=10)  # nothing to send: returns at once, tags untouched

    received = await drain(queue, len(events) + 1)
    assert [m.message_id for m in received[:-1]] == [str(e.id) for e in events]
    assert [m.body for m in received[:-1]] == [e.body for e in events]
    assert received[0].type == "renovation.project.status_changed"
    assert received[0].delivery_mode == aio_pika.DeliveryMode.PERSISTENT
    assert received[0].content_type == "application/json"
    assert len(received[-2].body) > 300_000
    assert not channel.confirmations  # every confirmation was resolved and forgotten
    assert channel.delivery_tag == len(events) + 1


async def test_a_batch_to_a_missing_exchange_raises_and_is_not_confirmed(exchange_and_queue):
    connection, name, queue = exchange_and_queue
    channel = await (await connection.channel(publisher_confirms=True)).get_underlay_channel()
    with pytest.raises(aiormq.exceptions.ChannelNotFoundEntity):  # the broker closed the channel: NOT_FOUND
        await publish_batch(channel, [f"{name}.missing"] * 3, [event(i) for i in range(3)], timeout=10)
    await asyncio.sleep(0.3)
    assert await queue.get(fail=False, no_ack=True) is None
