"""Operations on the event flow, for an ops person:

    python -m shared.events.ops lag                       # messages waiting per consumer queue (+ dead letters)
    python -m shared.events.ops backlog <service>         # outbox rows not yet published, and the oldest
    python -m shared.events.ops dlq list <consumer>       # dead-lettered messages: type, id, why, how often
    python -m shared.events.ops dlq replay <consumer> [--limit N]   # back onto the consumer's own queue

Broker URL and prefix come from MINSHENG_BROKER_URL / MINSHENG_EVENT_PREFIX; the service's database from its
own settings. Replay puts a message on the queue it died in (through the default exchange), so only that
consumer sees it again; the inbox makes a replay of something already handled harmless.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
from typing import Any

import aio_pika
from sqlalchemy import func, select

from shared.database import create_engine, create_session_factory
from shared.events.bus import dead_letter_queue_name, queue_name
from shared.events.topology import SUBSCRIPTIONS
from shared.settings import PlatformSettings


async def _queue_depth(channel, name: str) -> int | None:
    try:
        queue = await channel.declare_queue(name, passive=True)
    except Exception:
        return None
    return queue.declaration_result.message_count


async def consumer_lag(settings: PlatformSettings) -> dict[str, dict[str, int | None]]:
    connection = await aio_pika.connect(settings.broker_url, timeout=5)
    out: dict[str, dict[str, int | None]] = {}
    async with connection:
        for consumer, keys in SUBSCRIPTIONS.items():
            names = [queue_name(settings.event_prefix, consumer, k) for k in keys]
            names.append(dead_letter_queue_name(settings.event_prefix, consumer))
            depths = {}
            for name in names:
                channel = await connection.channel()  # a failed passive declare closes its channel
                depths[name] = await _queue_depth(channel, name)
            out[consumer] = depths
    return out


def _death_summary(message: aio_pika.abc.AbstractIncomingMessage) -> dict[str, Any]:
    deaths = (message.headers or {}).get("x-death") or []
    first = deaths[0] if deaths else {}
    try:
        envelope = json.loads(message.body)
        kind, event_id = envelope.get("type"), envelope.get("id")
    except (ValueError, AttributeError):
        kind, event_id = "<unparseable>", message.message_id
    keys = first.get("routing-keys") or []
    return {"event_id": event_id, "type": kind, "reason": first.get("reason"),
            "count": first.get("count"), "queue": first.get("queue"),
            "routing_key": (keys[0].decode() if isinstance(keys[0], bytes) else keys[0]) if keys else None}


async def dlq_list(settings: PlatformSettings, consumer: str, limit: int = 100) -> list[dict[str, Any]]:
    """Peek: messages are fetched and returned to the dead-letter queue (nack with requeue)."""
    connection = await aio_pika.connect(settings.broker_url, timeout=5)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=limit)
        queue = await channel.declare_queue(dead_letter_queue_name(settings.event_prefix, consumer), passive=True)
        seen, held = [], []
        for _ in range(limit):
            message = await queue.get(fail=False, no_ack=False)
            if message is None:
                break
            seen.append(_death_summary(message))
            held.append(message)
        for message in held:
            await message.nack(requeue=True)
        return seen


async def dlq_replay(settings: PlatformSettings, consumer: str, limit: int | None = None) -> int:
    connection = await aio_pika.connect(settings.broker_url, timeout=5)
    replayed = 0
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(dead_letter_queue_name(settings.event_prefix, consumer), passive=True)
        while limit is None or replayed < limit:
            message = await queue.get(fail=False, no_ack=False)
            if message is None:
                break
            summary = _death_summary(message)
            target = summary["queue"] or (queue_name(settings.event_prefix, consumer, summary["routing_key"])
                                          if summary["routing_key"] else None)
            if target is None:
                await message.nack(requeue=True)
                break
            await channel.default_exchange.publish(
                aio_pika.Message(message.body, content_type=message.content_type, message_id=message.message_id,
                                 type=message.type, delivery_mode=aio_pika.DeliveryMode.PERSISTENT),
                routing_key=target,
            )
            await message.ack()
            replayed += 1
    return replayed


async def outbox_backlog(service: str) -> dict[str, Any]:
    settings = importlib.import_module(f"services.{service}.settings").Settings()
    model = importlib.import_module(f"services.{service}.db").OutboxMessage
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            count, oldest = (await session.execute(
                select(func.count(), func.min(model.created_at)).where(model.published_at.is_(None))
            )).one()
    finally:
        await engine.dispose()
    return {"service": service, "unpublished": count, "oldest_unpublished": oldest.isoformat() if oldest else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("lag")
    backlog = sub.add_parser("backlog")
    backlog.add_argument("service", choices=sorted(SUBSCRIPTIONS))
    dlq = sub.add_parser("dlq")
    dlq.add_argument("action", choices=["list", "replay"])
    dlq.add_argument("consumer", choices=sorted(SUBSCRIPTIONS))
    dlq.add_argument("--limit", type=int)
    args = parser.parse_args()
    settings = PlatformSettings()
    if args.command == "lag":
        result: Any = asyncio.run(consumer_lag(settings))
    elif args.command == "backlog":
        result = asyncio.run(outbox_backlog(args.service))
    elif args.action == "list":
        result = asyncio.run(dlq_list(settings, args.consumer, args.limit or 100))
    else:
        result = {"replayed": asyncio.run(dlq_replay(settings, args.consumer, args.limit))}
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
