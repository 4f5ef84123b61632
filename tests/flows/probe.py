"""A probe on the broker: one queue per producer exchange under a test's prefix, bound with ``#``, so that a
test sees every message body the services publish (to check that no personal data travels)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import aio_pika

from shared.events.bus import exchange_name
from shared.migrate import SERVICES


@dataclass
class Probe:
    url: str
    prefix: str
    queues: list[str] = field(default_factory=list)

    async def bind(self) -> None:
        connection = await aio_pika.connect(self.url, timeout=10)
        async with connection:
            channel = await connection.channel()
            for producer in SERVICES:
                exchange = await channel.declare_exchange(exchange_name(self.prefix, producer), "topic",
                                                          durable=True)
                queue = await channel.declare_queue(f"{self.prefix}probe.{producer}", durable=False,
                                                    auto_delete=False)
                await queue.bind(exchange, "#")
                self.queues.append(queue.name)

    async def drain(self) -> list[tuple[str, bytes]]:
        """Every message received so far, as (exchange, raw body)."""
        out: list[tuple[str, bytes]] = []
        connection = await aio_pika.connect(self.url, timeout=10)
        async with connection:
            channel = await connection.channel()
            for name in self.queues:
                queue = await channel.declare_queue(name, passive=True)
                while (message := await queue.get(fail=False, no_ack=True)) is not None:
                    out.append((message.exchange, message.body))
        return out

    async def delete(self) -> None:
        connection = await aio_pika.connect(self.url, timeout=10)
        async with connection:
            for name in self.queues:
                channel = await connection.channel()
                await channel.queue_delete(name)


def json_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in json_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in json_keys(v)}
    return set()


def parse(body: bytes) -> dict:
    return json.loads(body)
