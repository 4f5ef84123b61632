"""The in-process bus for machines without a broker (embedded mode: all apps in one process).

Same contract as the RabbitMQ bus: queues per (consumer, routing key) that exist from ``declare``, a delivery
limit after which a message is dead-lettered, and at-least-once delivery to handlers.
Messages live in memory: the outbox is the durable record, and its relay republishes whatever was not
published when the process stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from shared.events.bus import MessageHandler, Outcome, WireEvent

log = logging.getLogger("minsheng.events.memory")


class InMemoryBroker:
    """The queues and dead letters, shared by every app of the process."""

    def __init__(self, *, delivery_limit: int = 5):
        self.delivery_limit = delivery_limit
        self.queues: dict[tuple[str, str], asyncio.Queue] = {}
        self.dead_letters: dict[str, list[tuple[str, bytes]]] = defaultdict(list)

    def queue(self, consumer: str, routing_key: str) -> asyncio.Queue:
        return self.queues.setdefault((consumer, routing_key), asyncio.Queue())


class InMemoryBus:
    """One app's connection to an ``InMemoryBroker``: closing it stops only this app's consumers."""

    mode = "memory"

    def __init__(self, broker: InMemoryBroker | None = None, *, retry_delay: float = 0.05):
        self.broker = broker or InMemoryBroker()
        self.retry_delay = retry_delay
        self._workers: list[asyncio.Task] = []
        self._started = False

    async def start(self) -> None:
        self._started = True

    def is_ready(self) -> bool:
        return self._started

    async def close(self) -> None:
        self._started = False
        for worker in self._workers:
            worker.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers.clear()

    async def declare(self, topology: Mapping[str, Iterable[str]]) -> None:
        for consumer, keys in topology.items():
            for key in keys:
                self.broker.queue(consumer, key)

    async def publish(self, events: Sequence[WireEvent]) -> None:
        for ev in events:
            for (_consumer, key), queue in self.broker.queues.items():
                if key == ev.routing_key:
                    queue.put_nowait((ev.body, 1))

    async def subscribe(self, consumer: str, routing_keys: Iterable[str], handler: MessageHandler, *,
                        batch_handler=None) -> None:
        """Delivers one message at a time (``batch_handler`` is a broker-load optimisation; unneeded here)."""
        for key in routing_keys:
            queue = self.broker.queue(consumer, key)
            self._workers.append(asyncio.create_task(self._work(consumer, key, queue, handler)))

    async def _work(self, consumer: str, key: str, queue: asyncio.Queue, handler: MessageHandler) -> None:
        while True:
            body, attempt = await queue.get()
            try:
                outcome = await handler(body, key)
            except Exception:
                log.exception("handler raised; will redeliver")
                outcome = Outcome.RETRY
            if outcome is Outcome.RETRY and attempt < self.broker.delivery_limit:
                await asyncio.sleep(self.retry_delay)
                queue.put_nowait((body, attempt + 1))
            elif outcome is not Outcome.ACK:
                log.warning("dead-lettered", extra={"consumer": consumer, "routing_key": key})
                self.broker.dead_letters[consumer].append((key, body))


_process_broker: InMemoryBroker | None = None


def process_broker(delivery_limit: int = 5) -> InMemoryBroker:
    """The one in-process broker that every app of an embedded process shares."""
    global _process_broker
    if _process_broker is None:
        _process_broker = InMemoryBroker(delivery_limit=delivery_limit)
    return _process_broker
