"""Community service: "one old, one young" services, the 15-minute care circle, home-safety alerts closed
in a loop (振宁社区)."""

from __future__ import annotations

from fastapi import FastAPI

import services.community.models  # noqa: F401  (every mapper configured before the first request)
from services.community.alerts.router import router as alerts_router
from services.community.canteen.router import router as canteen_router
from services.community.childcare.router import router as childcare_router
from services.community.courses.router import router as courses_router
from services.community.db import AuditEntry, outbox
from services.community.devices.router import router as devices_router
from services.community.escalation.router import router as duty_chains_router
from services.community.escalation.worker import start_sweep
from services.community.feed.router import router as feed_router
from services.community.messaging.handlers import consumer
from services.community.residents.consent import Consent
from services.community.residents.router import router as residents_router
from services.community.settings import Settings
from services.community.stations.router import router as stations_router
from services.community.stats.router import router as stats_router
from services.community.visits.router import router as visits_router
from services.community.workorders.router import router as workorders_router
from shared.audit import audit_router as make_audit_router
from shared.consent import consent_router
from shared.db_unavailable import install_database_unavailable_handler
from shared.events.memory import InMemoryBroker
from shared.service_app import ServiceSpec, create_service_app, get_session

# Order matters: /stations/nearby before /stations/{id}; /enrolments/mine before /enrolments/{id}/cancel.
ROUTERS = (residents_router, stations_router, courses_router, childcare_router, canteen_router, devices_router,
           alerts_router, workorders_router, duty_chains_router, visits_router, feed_router, stats_router,
           make_audit_router(AuditEntry, get_session),
           # A guardian's consent for a child's data: recorded by staff, withdrawn by the guardian or staff.
           consent_router(Consent, AuditEntry, get_session, staff_roles=("community",)))



def create_app(settings: Settings | None = None, *, memory_broker: InMemoryBroker | None = None) -> FastAPI:
    app = create_service_app(ServiceSpec(
        name="community",
        title="Minsheng · Community service (一老一小 · 15分钟养老圈 · 安居守护)",
        description="Residents and households, service stations and the 15-minute circle, courses with waiting "
                    "lists, childcare, the shared canteen with the elderly subsidy, home-safety kits whose alerts "
                    "open work orders closed in a loop with escalation, home visits, a live feed, statistics.",
        settings=settings or Settings(),
        routers=ROUTERS,
        outbox=outbox,
        consumer=consumer,
        background=(start_sweep,),
        memory_broker=memory_broker,
    ))
    return install_database_unavailable_handler(app)  # a database outage is a 503, not a 500
