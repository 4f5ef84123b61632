"""A state change and its event commit together: a rolled-back use case leaves no event behind."""

import asyncio
import json

import aio_pika
import pytest

from services.renovation.projects import service
from services.renovation.tests.factories import STAFF, estate, outbox_types, project
from shared.auth import principal
from shared.database import owned_transaction
from shared.events.bus import exchange_name
from shared.testing import AMQP_URL


async def test_event_leaves_only_when_its_transaction_commits(make_client, event_prefix):
    connection = await aio_pika.connect(AMQP_URL)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.declare_exchange(exchange_name(event_prefix, "renovation"), "topic", durable=True)
        probe = await channel.declare_queue(exclusive=True)
        await probe.bind(exchange, "renovation.#")
        async with make_client() as client:
            pid = (await project(client, [(await estate(client))["id"]]))["id"]
            staff = principal("kong-ran", ["renovation"])
            async with client.app.state.session_factory() as session:
                with pytest.raises(RuntimeError):
                    async with owned_transaction(session):
                        await service.transition_project(session, project_id=pid, action="approve", actor=staff)
                        raise RuntimeError("the process dies before the transaction commits")
            # Rolled back: no status change, no event row, and nothing for the relay to publish.
            assert (await client.get(f"/projects/{pid}", headers=STAFF)).json()["status"] == "planned"
            assert await outbox_types(client) == []
            assert await client.app.state.relay.publish_pending() == 0
            assert await probe.get(fail=False) is None

            # The same use case committed: its event is published, exactly once.
            async with client.app.state.session_factory() as session:
                await service.transition_project(session, project_id=pid, action="approve", actor=staff)
            await client.app.state.relay.publish_pending()
            message = None
            for _ in range(100):
                message = await probe.get(fail=False)
                if message:
                    break
                await asyncio.sleep(0.05)
            assert message is not None
            body = json.loads(message.body)
            assert body["type"] == "renovation.project.status_changed" and body["data"]["project_id"] == pid
            await message.ack()
            assert await outbox_types(client) == ["renovation.project.status_changed"]
