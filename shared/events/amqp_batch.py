"""Publish a batch of events in one write, with a publisher confirm for each.

aio-pika publishes one message per call: a task, a timeout, the channel lock, a socket write and a wait for
that write, per message. For the relay's batches that was most of the producer's publishing cost and it sent
the broker one small TCP segment per event. Here the whole batch is marshalled into one frame buffer under
the channel's lock (so delivery tags stay in step with what the broker counts) and written once; each
message still gets its confirmation future from the channel, which the channel resolves on the broker's
(multiple) acks and rejects if the channel closes.

This reaches into aiormq's channel (``lock``, ``delivery_tag``, ``confirmations``, ``write_queue``), which
aiormq itself uses for ``basic_publish``; the version is pinned and ``shared/tests/test_amqp_batch.py``
checks the behaviour against the real broker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import aiormq
from aio_pika import DeliveryMode
from aiormq.abc import ChannelFrame
from pamqp import commands as spec
from pamqp.header import ContentHeader

from shared.events.bus import WireEvent


def _frames(channel: aiormq.Channel, exchange: str, event: WireEvent) -> list:
    properties = spec.Basic.Properties(
        content_type="application/json", delivery_mode=DeliveryMode.PERSISTENT, message_id=str(event.id),
        message_type=event.type,
    )
    return [
        spec.Basic.Publish(exchange=exchange, routing_key=event.routing_key),
        ContentHeader(properties=properties, body_size=len(event.body)),
        *channel._split_body(event.body),  # frames of at most the negotiated size
    ]


async def publish_batch(channel: aiormq.Channel, exchanges: Sequence[str], events: Sequence[WireEvent], *,
                        timeout: float) -> None:
    """Publish ``events[i]`` to ``exchanges[i]``; returns when the broker confirmed all of them, raises
    (``DeliveryError`` on a nack, ``TimeoutError``, or the channel's closing error) otherwise."""
    if not channel.publisher_confirms:
        raise ValueError("publish_batch needs a channel with publisher confirms")
    if not events:
        return
    async with asyncio.timeout(timeout):
        async with channel.lock:
            frames: list = []
            for exchange, event in zip(exchanges, events, strict=True):
                frames += _frames(channel, exchange, event)
            tags = range(channel.delivery_tag + 1, channel.delivery_tag + 1 + len(events))
            confirmations = [channel.create_future() for _ in tags]
            written = channel.create_future()
            channel.confirmations.update(zip(tags, confirmations, strict=True))
            channel.delivery_tag = tags[-1]
            sent = False
            try:
                await channel.write_queue.put(
                    ChannelFrame.marshall(channel_number=channel.number, frames=frames, drain_future=written))
                sent = True
                await written
            except BaseException:
                if not sent:  # the broker never saw these: give their delivery tags back
                    channel.delivery_tag = tags[0] - 1
                    for tag, confirmation in zip(tags, confirmations, strict=True):
                        channel.confirmations.pop(tag, None)
                        confirmation.cancel()
                written.cancel()
                raise
        await asyncio.gather(*confirmations)
