"""What a bus does for the platform, whatever carries the messages (RabbitMQ or in-process)."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class Outcome(enum.Enum):
    ACK = "ack"  # handled (or a duplicate): done
    RETRY = "retry"  # transient failure: deliver again, up to the delivery limit
    DEAD = "dead"  # can never succeed (unparseable, unknown version): straight to the dead-letter queue


@dataclass(frozen=True, slots=True)
class WireEvent:
    """An event as it leaves the outbox: the envelope's JSON and what the broker needs to route it."""

    id: uuid.UUID
    type: str
    routing_key: str
    body: bytes

    @property
    def producer(self) -> str:
        return self.type.split(".", 1)[0]


MessageHandler = Callable[[bytes, str], Awaitable[Outcome]]
# Several (body, routing key) deliveries at once -> one outcome each, in order.
BatchHandler = Callable[[Sequence[tuple[bytes, str]]], Awaitable[list[Outcome]]]


def exchange_name(prefix: str, producer: str) -> str:
    return f"{prefix}{producer}.events"


def queue_name(prefix: str, consumer: str, routing_key: str) -> str:
    return f"{prefix}{consumer}.{routing_key}"


def dead_letter_exchange_name(prefix: str, consumer: str) -> str:
    return f"{prefix}{consumer}.dlx"


def dead_letter_queue_name(prefix: str, consumer: str) -> str:
    return f"{prefix}{consumer}.dead-letter"


class EventBus(Protocol):
    mode: str

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def is_ready(self) -> bool: ...

    async def declare(self, topology: Mapping[str, Iterable[str]]) -> None:
        """Create every consumer's queues (consumer -> routing keys), so nothing published is missed."""

    async def publish(self, events: Sequence[WireEvent]) -> None:
        """Return once every event is safely with the bus (publisher confirms); raise otherwise."""

    async def subscribe(self, consumer: str, routing_keys: Iterable[str], handler: MessageHandler, *,
                        batch_handler: BatchHandler | None = None) -> None: ...
