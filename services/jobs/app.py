"""Jobs service: the employment-assistance closed loop, matching, benefits, start-up loans, enterprise relief."""

from __future__ import annotations

from fastapi import FastAPI

import services.jobs.models  # noqa: F401  (every mapper configured before the first request)
from services.jobs.assistance.router import router as assistance_router
from services.jobs.benefits.router import router as benefits_router
from services.jobs.db import AuditEntry, outbox
from services.jobs.employers.router import router as employers_router
from services.jobs.households.router import router as households_router
from services.jobs.loans.router import router as loans_router
from services.jobs.matching.router import router as matching_router
from services.jobs.messaging.handlers import consumer
from services.jobs.placements.router import router as placements_router
from services.jobs.relief.router import router as relief_router
from services.jobs.seekers.router import router as seekers_router
from services.jobs.settings import Settings
from services.jobs.stats.router import router as stats_router
from services.jobs.sweeps import start_expiry_sweep
from services.jobs.vacancies.router import router as vacancies_router
from services.jobs.worklist.router import router as worklist_router
from shared.audit import audit_router as make_audit_router
from shared.db_unavailable import install_database_unavailable_handler
from shared.events.memory import InMemoryBroker
from shared.service_app import ServiceSpec, create_service_app, get_session

# Order matters: sub-resources (/seekers/{id}/acts, /vacancies/{id}/matches) before the catch-all verb routes.
ROUTERS = (seekers_router, assistance_router, matching_router, placements_router, worklist_router,
           households_router, employers_router, vacancies_router, benefits_router, loans_router, relief_router,
           stats_router, make_audit_router(AuditEntry, get_session))



def create_app(settings: Settings | None = None, *, memory_broker: InMemoryBroker | None = None) -> FastAPI:
    app = create_service_app(ServiceSpec(
        name="jobs",
        title="Minsheng · Jobs service (就业援助)",
        description="Job seekers and the registration → proactive service → follow-up loop, employers and "
                    "vacancies, two-way matching, unemployment benefit, start-up loans, enterprise relief, "
                    "zero-employment households, statistics.",
        settings=settings or Settings(),
        routers=ROUTERS,
        outbox=outbox,
        consumer=consumer,
        background=(start_expiry_sweep,),
        memory_broker=memory_broker,
    ))
    return install_database_unavailable_handler(app)  # a database outage is a 503, not a 500
