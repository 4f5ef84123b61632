"""Chronic-care service: minor and chronic illness without leaving the village (小病慢病不出村)."""

from __future__ import annotations

from fastapi import FastAPI

from services.chronic_care.db import AuditEntry, outbox
from services.chronic_care.dispensing.router import router as dispensing_router
from services.chronic_care.drugs.router import router as drugs_router
from services.chronic_care.followups.router import router as followups_router
from services.chronic_care.labs.router import router as labs_router
from services.chronic_care.messaging.handlers import consumer
from services.chronic_care.monitoring.router import router as readings_router
from services.chronic_care.patients.consent import Consent
from services.chronic_care.patients.router import router as patients_router
from services.chronic_care.referrals.router import router as referrals_router
from services.chronic_care.rehab.router import router as rehab_router
from services.chronic_care.settings import Settings
from services.chronic_care.stations.router import router as stations_router
from services.chronic_care.stats.router import router as stats_router
from services.chronic_care.stock.router import router as stock_router
from services.chronic_care.thresholds.router import router as thresholds_router
from shared.audit import audit_router as make_audit_router
from shared.consent import consent_router
from shared.db_unavailable import install_database_unavailable_handler
from shared.events.memory import InMemoryBroker
from shared.service_app import ServiceSpec, create_service_app, get_session

ROUTERS = [stations_router, stock_router, drugs_router, patients_router, readings_router, thresholds_router,
           dispensing_router, labs_router, referrals_router, rehab_router, followups_router, stats_router,
           make_audit_router(AuditEntry, get_session),
           # Consent to process health data: recorded (or withdrawn) by the person or any doctor.
           consent_router(Consent, AuditEntry, get_session, staff_roles=("doctor",))]



def create_app(settings: Settings | None = None, *, memory_broker: InMemoryBroker | None = None) -> FastAPI:
    app = create_service_app(ServiceSpec(
        name="chronic_care",
        title="Minsheng · Chronic-care service (小病慢病不出村)",
        description="Village dispensing with out-of-catalogue orders, monitoring with thresholds, lab tests, "
                    "admission referrals, rehabilitation nursing and chronic-disease follow-ups.",
        settings=settings or Settings(),
        routers=ROUTERS,
        outbox=outbox,
        consumer=consumer,
        memory_broker=memory_broker,
    ))
    return install_database_unavailable_handler(app)  # a database outage is a 503, not a 500
