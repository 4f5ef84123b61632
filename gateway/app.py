"""The gateway: one REST surface for every client.

``/api/v1/<area>/...`` goes straight to the lean ASGI proxy (no FastAPI on the hot path); everything else
(sign-in, API keys, the overview, health, the merged OpenAPI and its docs) is an ordinary FastAPI app.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from gateway import overview_router
from gateway.console import mount_console
from gateway.health import router as health_router
from gateway.keys.router import router as keys_router
from gateway.openapi.docs import STATIC_PREFIX, static_files
from gateway.openapi.docs import router as docs_router
from gateway.security import SecurityHeadersMiddleware
from gateway.settings import Settings
from gateway.state import Gateway
from gateway.users.router import router as auth_router
from shared.errors import install_problem_handlers
from shared.gc_tuning import startup_heap_frozen
from shared.observability import RequestContextMiddleware, configure_logging

EXPOSED = ["X-Request-ID", "Retry-After", "Idempotent-Replayed", "Location"]


class GatewayApp:
    """The outer ASGI app: a dictionary lookup decides between the proxy and the FastAPI app."""

    def __init__(self, api: FastAPI, gateway: Gateway):
        self.api = api
        self.gateway = gateway
        self.state = api.state  # for tools that look for app.state
        self._area_of = gateway.proxy.area_of
        self._proxy = gateway.proxy
        self._entry = self._route
        origins = gateway.settings.cors_origin_list()
        if origins:
            self._entry = CORSMiddleware(
                self._route, allow_origins=origins, allow_credentials=gateway.settings.cors_allow_credentials,
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
                allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-API-Key", "X-Request-ID"],
                expose_headers=EXPOSED, max_age=600)

    async def __call__(self, scope, receive, send):
        await self._entry(scope, receive, send)

    async def _route(self, scope, receive, send):
        if scope["type"] == "http":
            area = self._area_of(scope["path"])
            if area is not None:
                await self._proxy(scope, receive, send, area)
                return
        await self.api(scope, receive, send)


def build_api(gateway: Gateway) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await gateway.start(app.openapi)
        try:
            with startup_heap_frozen():
                yield
        finally:
            await gateway.stop()

    api = FastAPI(title="Minsheng gateway", version="1.0.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    api.state.gateway = gateway
    api.state.app_name = "gateway"
    api.state.settings = gateway.settings
    api.state.metrics = gateway.metrics
    install_problem_handlers(api)
    for router in (auth_router, keys_router, overview_router.router, health_router, docs_router):
        api.include_router(router)
    api.mount(STATIC_PREFIX, static_files(), name="swagger-ui")
    mount_console(api)  # the web console (一屏统览) at /console/
    api.add_middleware(SecurityHeadersMiddleware)
    api.add_middleware(RequestContextMiddleware, metrics=gateway.metrics, logger_name="minsheng.gateway")
    return api


def create_app(settings: Settings | None = None, *, clock: Callable[[], float] = time.monotonic) -> GatewayApp:
    settings = settings or Settings()
    configure_logging(settings.log_level, json_logs=settings.log_json)
    gateway = Gateway(settings, clock=clock)
    return GatewayApp(build_api(gateway), gateway)
