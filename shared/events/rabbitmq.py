"""The event bus on RabbitMQ (aio-pika).

Topology: one durable topic exchange per producer (``<producer>.events``); per consumer and routing key a
durable quorum queue (``<consumer>.<routing key>``) with ``x-delivery-limit`` and a dead-letter exchange
(``<consumer>.dlx``, fanout) feeding the consumer's dead-letter queue (``<consumer>.dead-letter``).
Publishing uses publisher confirms and persistent messages with ``message_id`` = event id.
The robust connection reconnects by itself and re-declares what it had declared.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractIncomingMessage, AbstractRobustConnection

from shared.events.acks import AckWindow
from shared.events.amqp_batch import publish_batch
from shared.events.bus import (
    BatchHandler,
    MessageHandler,
    Outcome,
    WireEvent,
    dead_letter_exchange_name,
    dead_letter_queue_name,
    exchange_name,
    queue_name,
)

log = logging.getLogger("minsheng.events.rabbitmq")


class RabbitMQBus:
    mode = "rabbitmq"

    def __init__(self, url: str, *, prefix: str = "", delivery_limit: int = 5, prefetch: int = 64,
                 connection_name: str = "minsheng", publish_timeout: float = 10.0):
        self.url = url
        self.prefix = prefix
        self.delivery_limit = delivery_limit
        self.prefetch = prefetch
        self.connection_name = connection_name
        self.publish_timeout = publish_timeout
        self._connection: AbstractRobustConnection | None = None
        self._publish_channel: AbstractChannel | None = None
        self._consume_channel: AbstractChannel | None = None
        self._exchanges: dict[str, AbstractExchange] = {}
        self._consumer_tags: list[tuple[object, str]] = []
        self._inflight: set[asyncio.Task] = set()
        self._workers: list[asyncio.Task] = []
        self.batch_size = max(1, min(prefetch, 100))
        self.batch_workers = 2
        self._acks = AckWindow(max_waiting=max(1, prefetch // 2))

    async def start(self, *, timeout: float = 5.0) -> None:
        self._connection = await aio_pika.connect_robust(
            self.url, timeout=timeout, client_properties={"connection_name": self.connection_name}
        )
        self._publish_channel = await self._connection.channel(publisher_confirms=True)
        self._consume_channel = await self._connection.channel()
        await self._consume_channel.set_qos(prefetch_count=self.prefetch)

    def is_ready(self) -> bool:
        return bool(self._connection and not self._connection.is_closed and self._publish_channel
                    and not self._publish_channel.is_closed)

    async def close(self) -> None:
        # Stop taking deliveries first; unacked ones return to their queue when the channel closes.
        for queue, tag in self._consumer_tags:
            try:
                await queue.cancel(tag)
            except Exception:  # the channel may already be gone; closing below covers it
                log.debug("cancel failed", exc_info=True)
        self._consumer_tags.clear()
        busy = {t for t in self._inflight if t is not asyncio.current_task()}
        if busy:
            await asyncio.wait(busy, timeout=10)
        for worker in self._workers:  # idle now; what they buffered is unacked and goes back to the queue
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers.clear()
        if self._connection:
            await self._connection.close()
        self._connection = None

    async def _exchange(self, channel: AbstractChannel, producer: str) -> AbstractExchange:
        return await channel.declare_exchange(
            exchange_name(self.prefix, producer), aio_pika.ExchangeType.TOPIC, durable=True
        )

    async def _publish_exchange(self, producer: str) -> AbstractExchange:
        exchange = self._exchanges.get(producer)
        if exchange is None:
            exchange = await self._exchange(self._publish_channel, producer)
            self._exchanges[producer] = exchange
        return exchange

    async def _declare_queue(self, channel: AbstractChannel, consumer: str, routing_key: str):
        dlx = await channel.declare_exchange(
            dead_letter_exchange_name(self.prefix, consumer), aio_pika.ExchangeType.FANOUT, durable=True
        )
        dlq = await channel.declare_queue(
            dead_letter_queue_name(self.prefix, consumer), durable=True, arguments={"x-queue-type": "quorum"}
        )
        await dlq.bind(dlx)
        queue = await channel.declare_queue(
            queue_name(self.prefix, consumer, routing_key), durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": self.delivery_limit,
                "x-dead-letter-exchange": dlx.name,
            },
        )
        producer = routing_key.split(".", 1)[0]
        await queue.bind(await self._exchange(channel, producer), routing_key=routing_key)
        return queue

    async def declare(self, topology: Mapping[str, Iterable[str]]) -> None:
        for consumer, keys in topology.items():
            for key in keys:
                await self._declare_queue(self._publish_channel, consumer, key)

    async def publish(self, events: Sequence[WireEvent]) -> None:
        if not self.is_ready():
            raise ConnectionError("broker connection is not open")
        # Declared once per producer (cached); a batch usually holds one producer's events.
        names = {producer: (await self._publish_exchange(producer)).name for producer in {ev.producer for ev in events}}
        exchanges = [names[ev.producer] for ev in events]
        channel = await self._publish_channel.get_underlay_channel()
        # One write for the batch, one confirm per event: raises if any is nacked or the batch times out.
        await publish_batch(channel, exchanges, events, timeout=self.publish_timeout)

    async def subscribe(self, consumer: str, routing_keys: Iterable[str], handler: MessageHandler, *,
                        batch_handler: BatchHandler | None = None) -> None:
        """Consume ``routing_keys`` into ``consumer``'s queues. With ``batch_handler``, deliveries waiting
        together are handled together (one database transaction for many events under load; a lone
        delivery still goes alone and at once, so batching adds no latency)."""
        for key in routing_keys:
            queue = await self._declare_queue(self._consume_channel, consumer, key)
            if batch_handler is not None:
                buffer: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
                for _ in range(self.batch_workers):
                    self._workers.append(asyncio.create_task(self._drain(buffer, batch_handler)))

                async def on_message(message: AbstractIncomingMessage, b: asyncio.Queue = buffer) -> None:
                    self._acks.received(message)
                    b.put_nowait(message)
            else:
                async def on_message(message: AbstractIncomingMessage, h: MessageHandler = handler) -> None:
                    self._acks.received(message)
                    task = asyncio.current_task()
                    self._inflight.add(task)
                    try:
                        await self._deliver(h, message)
                    finally:
                        self._inflight.discard(task)

            tag = await queue.consume(on_message)
            self._consumer_tags.append((queue, tag))

    async def _drain(self, buffer: asyncio.Queue, batch_handler: BatchHandler) -> None:
        while True:
            batch = [await buffer.get()]
            while len(batch) < self.batch_size and not buffer.empty():
                batch.append(buffer.get_nowait())
            task = asyncio.current_task()
            self._inflight.add(task)
            try:
                try:
                    outcomes = await batch_handler([(m.body, m.routing_key or "") for m in batch])
                except Exception:
                    log.exception("batch handler raised; will redeliver")
                    outcomes = [Outcome.RETRY] * len(batch)
                await self._settle(batch, outcomes)
            finally:
                self._inflight.discard(task)

    async def _deliver(self, handler: MessageHandler, message: AbstractIncomingMessage) -> None:
        try:
            outcome = await handler(message.body, message.routing_key or "")
        except Exception:
            log.exception("handler raised; will redeliver", extra={"event_id": message.message_id})
            outcome = Outcome.RETRY
        await self._settle([message], [outcome])

    async def _settle(self, messages: Sequence[AbstractIncomingMessage], outcomes: Sequence[Outcome]) -> None:
        """Acknowledge the handled ones together (one frame where the window allows), then dead-letter or
        return the others one by one."""
        handled = [m for m, o in zip(messages, outcomes, strict=True) if o is Outcome.ACK]
        others = [(m, o) for m, o in zip(messages, outcomes, strict=True) if o is not Outcome.ACK]
        try:
            if handled:
                await self._acks.ack(handled)
            if any(o is Outcome.RETRY for _, o in others):
                await asyncio.sleep(0.05)  # do not spin on a failing handler
            for message, outcome in others:
                await self._acks.reject(message, requeue=outcome is Outcome.RETRY)
        except Exception:
            # The channel died under us: the broker redelivers what was unacked; the inbox absorbs it.
            log.warning("could not settle messages", extra={"count": len(messages)}, exc_info=True)
