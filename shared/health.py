"""``/healthz`` (the process is alive), ``/readyz`` (its database and bus answer), ``/metrics``."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from shared.errors import problem_response


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", summary="Liveness")
    async def healthz(request: Request) -> dict:
        return {"status": "ok", "service": request.app.state.app_name}

    @router.get("/readyz", summary="Readiness: database and event bus reachable",
                responses={503: {"description": "Not ready: `errors` names each failing check"}})
    async def readyz(request: Request):
        checks = {"database": await _database_ok(request), "event_bus": _bus_ok(request)}
        body = {"status": "ready" if all(checks.values()) else "not ready",
                "service": request.app.state.app_name, "checks": checks,
                "event_bus_mode": getattr(getattr(request.app.state, "bus", None), "mode", None)}
        if not all(checks.values()):
            failing = ", ".join(k for k, ok in checks.items() if not ok)
            return problem_response(503, "not-ready", "Not ready", f"not ready: {failing}",
                                    errors=[{"field": k, "message": "unavailable"} for k, ok in checks.items()
                                            if not ok])
        return body

    @router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        data, content_type = request.app.state.metrics.render()
        return Response(data, media_type=content_type)

    return router


async def _database_ok(request: Request) -> bool:
    factory = getattr(request.app.state, "session_factory", None)
    if factory is None:
        return False
    try:
        async with factory() as session:
            await asyncio.wait_for(session.execute(text("SELECT 1")), timeout=2)
        return True
    except Exception:
        return False


def _bus_ok(request: Request) -> bool:
    bus = getattr(request.app.state, "bus", None)
    return bool(bus and bus.is_ready())
