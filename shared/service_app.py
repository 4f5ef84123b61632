"""The app factory every service uses: database, event bus, outbox relay, consumers, health, errors, logs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from fastapi import APIRouter, FastAPI, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shared.database import create_engine, create_session_factory
from shared.errors import install_problem_handlers
from shared.events.connect import connect_bus
from shared.events.consumer import EventConsumer
from shared.events.housekeeping import EventTablesHousekeeping
from shared.events.memory import InMemoryBroker
from shared.events.metrics import EventMetrics
from shared.events.outbox import Outbox
from shared.events.relay import OutboxRelay
from shared.events.topology import SUBSCRIPTIONS
from shared.gc_tuning import startup_heap_frozen
from shared.health import health_router
from shared.nul_guard import NulGuardMiddleware
from shared.observability import Metrics, RequestContextMiddleware, configure_logging
from shared.problem_docs import install_problem_docs, raises
from shared.settings import ServiceSettings

log = logging.getLogger("minsheng.app")


@dataclass
class ServiceSpec:
    name: str  # e.g. "chronic_care": the consumer name, metric label and log field
    title: str
    settings: ServiceSettings
    routers: Sequence[APIRouter]
    outbox: Outbox
    consumer: EventConsumer | None = None
    description: str = ""
    version: str = "1.0.0"
    # Extra background work (e.g. escalation timers): started after the bus, stopped before it.
    background: Sequence[Callable[[FastAPI], Awaitable[Callable[[], Awaitable[None]]]]] = field(default=())
    memory_broker: InMemoryBroker | None = None  # tests and embedded mode share one


def create_service_app(spec: ServiceSpec) -> FastAPI:
    settings = spec.settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        app.state.engine = engine
        app.state.session_factory = create_session_factory(engine)
        bus = await connect_bus(settings, app_name=spec.name, delivery_limit=settings.delivery_limit,
                                prefetch=settings.consumer_prefetch, memory_broker=spec.memory_broker)
        app.state.bus = bus
        await bus.declare(SUBSCRIPTIONS)
        relay = OutboxRelay(app.state.session_factory, spec.outbox, bus, sweep_interval=settings.outbox_sweep_seconds,
                            batch_size=settings.outbox_batch_size, metrics=app.state.event_metrics)
        app.state.relay = relay
        relay.start()
        if spec.consumer is not None and spec.consumer.handlers:
            spec.consumer.bind(app.state.session_factory, app.state.event_metrics)
            await bus.subscribe(spec.name, spec.consumer.routing_keys, spec.consumer.handle,
                                batch_handler=spec.consumer.handle_batch)
        housekeeping = EventTablesHousekeeping(
            app.state.session_factory, spec.outbox.model, spec.consumer.inbox_model if spec.consumer else None,
            keep_published=timedelta(days=settings.outbox_keep_published_days),
            keep_inbox=timedelta(days=settings.inbox_keep_days),
            interval_seconds=settings.event_housekeeping_seconds)
        stops = [housekeeping.start(), *[await start(app) for start in spec.background]]
        log.info("started", extra={"app": spec.name, "event_bus": bus.mode})
        try:
            with startup_heap_frozen():
                yield
        finally:
            # Graceful: uvicorn has stopped taking requests and finished in-flight ones by now.
            for stop in reversed(stops):
                await stop()
            await bus.close()  # stop consuming; unacked deliveries go back to the broker
            await relay.stop()
            await engine.dispose()
            log.info("stopped", extra={"app": spec.name})

    configure_logging(settings.log_level, json_logs=settings.log_json)
    app = FastAPI(title=spec.title, description=spec.description, version=spec.version, lifespan=lifespan)
    app.state.app_name = spec.name
    app.state.settings = settings
    app.state.outbox = spec.outbox
    app.state.metrics = Metrics(spec.name)
    app.state.event_metrics = EventMetrics(app.state.metrics.registry)
    install_problem_handlers(app)
    install_problem_docs(app)  # /openapi.json lists the problem+json errors each route can answer
    app.include_router(health_router())
    for router in spec.routers:
        app.include_router(router)
    app.add_middleware(NulGuardMiddleware)  # inside the request context: refusals are logged with their id
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics, logger_name=f"minsheng.{spec.name}")
    return app


@raises(503)  # the database cannot be reached (shared/db_unavailable.py)
async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session per request; the use case owns its transaction (never committed here)."""
    async with request.app.state.session_factory() as session:
        yield session
