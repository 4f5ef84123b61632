"""Renovation service: old-estate renovation, future communities, implanted service spaces."""

from __future__ import annotations

from fastapi import FastAPI

from services.renovation.db import outbox
from services.renovation.messaging.handlers import consumer
from services.renovation.projects.router import router as projects_router
from services.renovation.settings import Settings
from shared.events.memory import InMemoryBroker
from shared.service_app import ServiceSpec, create_service_app


def create_app(settings: Settings | None = None, *, memory_broker: InMemoryBroker | None = None) -> FastAPI:
    return create_service_app(ServiceSpec(
        name="renovation",
        title="Minsheng · Renovation service (旧改与未来社区)",
        settings=settings or Settings(),
        routers=[projects_router],
        outbox=outbox,
        consumer=consumer,
        memory_broker=memory_broker,
    ))
