"""Choose and start the bus an app uses: RabbitMQ, or the in-process bus when none is reachable."""

from __future__ import annotations

import logging

from shared.events.bus import EventBus
from shared.events.memory import InMemoryBroker, InMemoryBus, process_broker
from shared.events.rabbitmq import RabbitMQBus
from shared.settings import PlatformSettings

log = logging.getLogger("minsheng.events")


async def connect_bus(settings: PlatformSettings, *, app_name: str, delivery_limit: int = 5,
                      prefetch: int = 64, memory_broker: InMemoryBroker | None = None) -> EventBus:
    if settings.event_bus in ("rabbitmq", "auto"):
        bus = RabbitMQBus(settings.broker_url, prefix=settings.event_prefix, delivery_limit=delivery_limit,
                          prefetch=prefetch, connection_name=app_name)
        try:
            await bus.start(timeout=5 if settings.event_bus == "rabbitmq" else 2)
            log.info("event bus: RabbitMQ", extra={"app": app_name})
            return bus
        except Exception as exc:
            if settings.event_bus == "rabbitmq":
                raise RuntimeError(f"RabbitMQ is not reachable ({exc!r}) and MINSHENG_EVENT_BUS=rabbitmq") from exc
            log.warning(
                "EMBEDDED MODE: RabbitMQ not reachable; events use the in-process bus (this process only)",
                extra={"app": app_name, "error": repr(exc)},
            )
    bus = InMemoryBus(memory_broker or process_broker(delivery_limit))
    await bus.start()
    return bus
