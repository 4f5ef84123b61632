"""Renovation service: old-estate renovation, future communities, implanted service spaces, resident co-decision."""

from __future__ import annotations

from fastapi import FastAPI

import services.renovation.models  # noqa: F401  (every mapper configured before the first request)
from services.renovation.acceptance.router import router as acceptance_router
from services.renovation.communities.router import router as communities_router
from services.renovation.db import AuditEntry, outbox
from services.renovation.estates.router import router as estates_router
from services.renovation.messaging.handlers import consumer
from services.renovation.milestones.router import residents_router
from services.renovation.milestones.router import router as milestones_router
from services.renovation.participation.router import router as participation_router
from services.renovation.programmes.router import router as programmes_router
from services.renovation.projects.router import router as projects_router
from services.renovation.settings import Settings
from services.renovation.spaces.router import router as spaces_router
from services.renovation.stats.router import router as stats_router
from shared.audit import audit_router
from shared.db_unavailable import install_database_unavailable_handler
from shared.events.memory import InMemoryBroker
from shared.service_app import ServiceSpec, create_service_app, get_session

# Order matters: /projects/{id}/milestones and /projects/{id}/inspections must be matched before the
# projects router's catch-all verb route /projects/{id}/{action}.
ROUTERS = (estates_router, residents_router, milestones_router, acceptance_router, projects_router, programmes_router,
           communities_router, spaces_router, participation_router, stats_router,
           audit_router(AuditEntry, get_session))  # the retention runs' record


def create_app(settings: Settings | None = None, *, memory_broker: InMemoryBroker | None = None) -> FastAPI:
    app = create_service_app(ServiceSpec(
        name="renovation",
        title="Minsheng · Renovation service (旧改与未来社区)",
        description="Estates, renovation projects and their acceptance, area-wide programmes, future-community "
                    "creation, idle-space inventory, resident participation, statistics.",
        settings=settings or Settings(),
        routers=ROUTERS,
        outbox=outbox,
        consumer=consumer,
        memory_broker=memory_broker,
    ))
    return install_database_unavailable_handler(app)  # a database outage is a 503, not a 500
