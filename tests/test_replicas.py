"""Two replicas of one service against one database and one broker (how ops scale a service): they share its
queues as competing consumers and its outbox without publishing anything twice; a replica stopped with
SIGTERM mid-stream acknowledges nothing it has not committed, so nothing is lost."""

import asyncio
import json
import re
import uuid
from datetime import UTC, datetime

import aio_pika
import httpx
import pytest
from sqlalchemy import func, select

from services.chronic_care.db import InboxMessage, outbox
from shared.database import create_engine, create_session_factory, unit_of_work
from shared.events.bus import exchange_name
from shared.events.contracts.chronic_care import ReadingFlaggedV1
from shared.events.contracts.community import AlertRaisedV1
from shared.events.rabbitmq import RabbitMQBus
from shared.testing import AMQP_URL, equals, eventually, require_broker
from tests.support.processes import AppProcess, service_env

pytestmark = pytest.mark.slow


@pytest.fixture
async def replicas(database_url_for, event_prefix, tmp_path):
    await (await require_broker()).close()
    url = await database_url_for("chronic_care", "postgresql")
    env = service_env("chronic_care", database_url=url, broker_url=AMQP_URL, event_prefix=event_prefix)
    apps = [AppProcess("chronic_care", env, log_path=tmp_path / f"replica{i}.log") for i in (1, 2)]
    await asyncio.gather(*(asyncio.to_thread(app.start) for app in apps))
    engine = create_engine(url)
    yield apps, create_session_factory(engine)
    for app in apps:
        app.stop()
    await engine.dispose()


def consumed_by(app: AppProcess, outcome: str) -> float:
    text = httpx.get(f"{app.url}/metrics", timeout=5).text
    labels = f'consumer="chronic_care",outcome="{outcome}",type="community.alert.raised"'
    pattern = r"events_consumed_total\{" + re.escape(labels) + r"\} (\S+)"
    match = re.search(pattern, text)
    return float(match.group(1)) if match else 0.0


def alert(i: int) -> AlertRaisedV1:
    return AlertRaisedV1(alert_id=uuid.uuid4(), work_order_id=uuid.uuid4(), device_id=uuid.uuid4(),
                         device_type="smoke", severity="high", household_id=uuid.uuid4(),
                         person_refs=[f"pr_{i:032x}"], street_code="330109005", raised_at=datetime.now(UTC))


async def inbox_count(factory) -> int:
    async with factory() as s:
        return await s.scalar(select(func.count()).select_from(InboxMessage))


async def test_replicas_compete_for_events_and_a_sigterm_loses_nothing(replicas, event_prefix):
    apps, factory = replicas
    producer = RabbitMQBus(AMQP_URL, prefix=event_prefix)
    await producer.start()
    total = 600
    envelopes = [alert(i).envelope() for i in range(total)]
    from shared.events.bus import WireEvent

    wires = [WireEvent(e.id, e.type, e.routing_key, e.model_dump_json().encode()) for e in envelopes]
    await producer.publish(wires[:300])
    # Competing consumers: both replicas take a share of the same queue.
    await eventually(lambda: consumed_by(apps[0], "handled") > 0 and consumed_by(apps[1], "handled") > 0,
                     timeout=30)
    await asyncio.to_thread(apps[0].stop)  # graceful stop of one replica mid-stream
    await producer.publish(wires[300:])
    await eventually(lambda: equals(inbox_count(factory), total), timeout=60)
    await producer.close()
    assert consumed_by(apps[1], "handled") > 0
    await asyncio.sleep(0.5)
    assert await inbox_count(factory) == total  # every event once: none lost, none applied twice




async def test_replicas_share_the_outbox_without_publishing_twice(replicas, event_prefix):
    _, factory = replicas
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(event_prefix, "chronic_care"), "topic", durable=True)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(exchange, "#")
        total = 400
        for i in range(total):  # committed as a use case would, while both replicas' relays sweep
            async with factory() as s, unit_of_work(s):
                await outbox.add(s, ReadingFlaggedV1(reading_id=uuid.uuid4(), person_ref=f"pr_{i:032x}",
                                                     severity="high", flagged_at=datetime.now(UTC)))
        ids: list[str] = []

        async def drained():
            while message := await probe.get(fail=False, no_ack=True):
                ids.append(json.loads(message.body)["id"])
            return len(ids) >= total

        await eventually(drained, timeout=30)
        await asyncio.sleep(1.0)
        await drained()
        assert len(ids) == total and len(set(ids)) == total  # each event published exactly once
