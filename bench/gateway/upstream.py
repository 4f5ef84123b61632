"""The service side of the gateway benchmark: a trivial GET built the way every service is built (FastAPI,
problem handlers, the request-id/metrics/access-log middleware) that verifies the identity the gateway passes.

    uvicorn --factory bench.gateway.upstream:create_app
"""

from __future__ import annotations

from fastapi import Depends, FastAPI

from shared.auth import Principal, authenticated
from shared.errors import install_problem_handlers
from shared.observability import Metrics, RequestContextMiddleware, configure_logging
from shared.settings import PlatformSettings


def create_app() -> FastAPI:
    settings = PlatformSettings()
    configure_logging(settings.log_level, json_logs=settings.log_json)
    app = FastAPI(title="bench upstream")
    app.state.settings = settings
    install_problem_handlers(app)

    @app.get("/ping")
    async def ping(principal: Principal = Depends(authenticated)) -> dict:
        return {"pong": True, "subject": principal.subject}

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> dict:
        return {"status": "ready"}

    app.add_middleware(RequestContextMiddleware, metrics=Metrics("bench"), logger_name="minsheng.bench")
    return app
