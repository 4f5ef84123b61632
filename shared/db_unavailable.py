"""A database that cannot be reached is a 503 (problem+json, Retry-After), not a 500: the request changed
nothing (its transaction never committed) and may be retried; the gateway retries an idempotent one on 503.

``install_database_unavailable_handler(app)`` adds the handlers to an app made by ``create_service_app``.
"""

from __future__ import annotations

import logging

import asyncpg
from fastapi import FastAPI, Request
from sqlalchemy import exc as sa_exc

from shared.errors import problem_response

log = logging.getLogger("minsheng.errors")

# asyncpg errors that mean "no usable connection", whether or not SQLAlchemy wrapped them.
_CONNECTION_ERRORS = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
                      asyncpg.CannotConnectNowError, asyncpg.AdminShutdownError)


def is_database_unreachable(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.TimeoutError):  # the pool had no connection to give in time
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc.orig, _CONNECTION_ERRORS) or isinstance(
            getattr(exc.orig, "__cause__", None), _CONNECTION_ERRORS)
    return isinstance(exc, _CONNECTION_ERRORS)


async def _unavailable(request: Request, exc: Exception):
    if not is_database_unreachable(exc):
        log.exception("unhandled error", extra={"path": request.url.path}, exc_info=exc)
        return problem_response(500, "internal", "Internal error", "An unexpected error occurred.",
                                instance=request.url.path)
    log.warning("database unreachable", extra={"path": request.url.path, "error": type(exc).__name__})
    return problem_response(503, "service-unavailable", "Service unavailable",
                            "The service's database cannot be reached; nothing was changed. Try again shortly.",
                            instance=request.url.path, headers={"Retry-After": "2"})


def install_database_unavailable_handler(app: FastAPI) -> FastAPI:
    for kind in (sa_exc.DBAPIError, sa_exc.TimeoutError, *_CONNECTION_ERRORS):
        app.add_exception_handler(kind, _unavailable)
    return app
