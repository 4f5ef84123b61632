"""``/healthz`` (alive), ``/readyz`` (own database, rate-limit store and every area's replicas), ``/metrics``."""

from __future__ import annotations

import asyncio

import aiohttp
from fastapi import APIRouter, Request, Response
from sqlalchemy import text

from shared.errors import problem_response

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict:
    return {"status": "ok", "service": "gateway"}


async def _database_ok(gateway) -> bool:
    try:
        async with gateway.session_factory() as session:
            await asyncio.wait_for(session.execute(text("SELECT 1")), timeout=2)
        return True
    except Exception:
        return False


async def _replica_ready(gateway, area: str, base_url: str) -> bool:
    timeout = aiohttp.ClientTimeout(total=gateway.settings.readiness_timeout)
    try:
        async with gateway.client.session.get(f"{base_url}/readyz", timeout=timeout) as response:
            ok = response.status == 200
    except (aiohttp.ClientError, TimeoutError, OSError):
        ok = False
    gateway.metrics.set_readiness(area, base_url, ok)
    return ok


async def _area(gateway, area: str) -> dict:
    upstream = gateway.upstreams[area]
    results = await asyncio.gather(*(_replica_ready(gateway, area, r.base_url) for r in upstream.replicas))
    return {"status": "ready" if any(results) else "unavailable",
            "replicas": {r.base_url: {"ready": ok, "breaker": r.breaker.state}
                         for r, ok in zip(upstream.replicas, results, strict=True)}}


@router.get("/readyz", summary="Readiness: own database and the areas' services",
            responses={503: {"description": "Not ready: `errors` names each failing check"}})
async def readyz(request: Request):
    gateway = request.app.state.gateway
    areas_list = list(gateway.upstreams)
    db_ok, limiter_ok, *areas = await asyncio.gather(
        _database_ok(gateway), gateway.limiter.check_storage(), *(_area(gateway, a) for a in areas_list))
    by_area = dict(zip(areas_list, areas, strict=True))
    down = [a for a, r in by_area.items() if r["status"] != "ready"]
    checks = {"database": db_ok, "rate_limit_store": limiter_ok}
    ready = all(checks.values()) and not (down and gateway.settings.ready_requires_upstreams)
    body = {"status": "ready" if ready and not down else ("degraded" if ready else "not ready"),
            "service": "gateway", "checks": checks, "areas": by_area}
    if not ready:
        failing = [k for k, ok in checks.items() if not ok] + down
        return problem_response(503, "not-ready", "Not ready", f"not ready: {', '.join(failing)}",
                                errors=[{"field": name, "message": "unavailable"} for name in failing])
    return body


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    gateway = request.app.state.gateway
    gateway.metrics.set_breakers(gateway.upstreams)
    data, content_type = gateway.metrics.render()
    return Response(data, media_type=content_type)
