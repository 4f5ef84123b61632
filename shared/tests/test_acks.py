"""The ack window on a real broker: handled deliveries are acknowledged in few frames, and never one that was
returned for a retry or is still in work."""

import asyncio
import uuid

import aio_pika
import pytest

from shared.events.acks import AckWindow
from shared.testing import require_broker


@pytest.fixture
async def queue_of_50():
    """A private durable queue holding 50 messages, and a consuming channel that has received all of them."""
    connection = await require_broker()
    name = f"t{uuid.uuid4().hex[:10]}.acks"
    channel = await connection.channel()
    await channel.set_qos(prefetch_count=100)
    queue = await channel.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
    for i in range(50):
        await channel.default_exchange.publish(aio_pika.Message(str(i).encode()), routing_key=name)
    received: list = []

    async def on_message(message):
        received.append(message)

    await queue.consume(on_message)
    for _ in range(100):
        if len(received) == 50:
            break
        await asyncio.sleep(0.05)
    assert len(received) == 50
    try:
        yield connection, name, channel, sorted(received, key=lambda m: m.delivery_tag)
    finally:
        cleanup = await connection.channel()
        await cleanup.queue_delete(name)
        await connection.close()


async def redelivered_after_close(connection, name, channel) -> list[int]:
    """Close the consuming channel (whatever it had not acknowledged goes back) and read what is left."""
    await channel.close()
    reader = await connection.channel()
    queue = await reader.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
    left = []
    while (message := await queue.get(fail=False, no_ack=True)) is not None:
        left.append(int(message.body))
    return sorted(left)


def count_acks(monkeypatch, message) -> list[tuple[int, bool]]:
    """Record the ack frames sent on the real channel (they still go to the broker)."""
    frames: list[tuple[int, bool]] = []
    channel = message.channel
    send = channel.basic_ack

    async def recording(delivery_tag, multiple=False, wait=True):
        frames.append((delivery_tag, multiple))
        await send(delivery_tag, multiple=multiple, wait=wait)

    monkeypatch.setattr(channel, "basic_ack", recording)
    return frames


async def test_a_handled_batch_is_acknowledged_with_one_frame(queue_of_50, monkeypatch):
    connection, name, channel, messages = queue_of_50
    window = AckWindow()
    for m in messages:
        window.received(m)
    frames = count_acks(monkeypatch, messages[0])
    await window.ack(messages)
    assert frames == [(messages[-1].delivery_tag, True)]
    assert await redelivered_after_close(connection, name, channel) == []


async def test_out_of_order_batches_and_a_retry_in_the_middle_lose_nothing_and_ack_no_retry(queue_of_50):
    connection, name, channel, messages = queue_of_50
    window = AckWindow(max_waiting=32)
    for m in messages:
        window.received(m)
    # A second worker finishes first: its deliveries wait behind the first worker's, still in work.
    await window.ack(messages[25:])
    # The first worker: one delivery failed and goes back for a retry, the rest were handled.
    await window.reject(messages[10], requeue=True)
    await window.ack(messages[:10] + messages[11:25])
    # The retried delivery came back to this channel as a new delivery; leave it unsettled.
    assert await redelivered_after_close(connection, name, channel) == [10]


async def test_handled_deliveries_behind_a_slow_one_are_acknowledged_alone_past_the_bound(queue_of_50,
                                                                                          monkeypatch):
    connection, name, channel, messages = queue_of_50
    window = AckWindow(max_waiting=5)
    for m in messages:
        window.received(m)
    frames = count_acks(monkeypatch, messages[0])
    await window.ack(messages[1:10])  # the head, messages[0], is still in work
    assert frames == [(m.delivery_tag, False) for m in messages[1:10]]
    await window.reject(messages[20], requeue=False)  # dead-lettered (no dead-letter exchange here: dropped)
    assert await redelivered_after_close(connection, name, channel) == [0, *range(10, 20), *range(21, 50)]
