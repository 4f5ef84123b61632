"""Errors as RFC 9457 problem details.

Domain code raises ``DomainError`` subclasses (no HTTP in them beyond the status each kind maps to);
``install_problem_handlers`` turns them, validation failures and anything unexpected into
``application/problem+json`` responses with a stable ``type``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.observability import current_request_id

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://minsheng.xiaoshan.gov.cn/problems/"
log = logging.getLogger("minsheng.errors")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    """Base of the errors domain code raises; each kind says which status it maps to."""

    status = 400
    code = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, errors: list[FieldError] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.headers = headers


class NotFound(DomainError):
    status, code, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    """An illegal state transition or a uniqueness clash."""

    status, code, title = 409, "conflict", "Conflict"


class Forbidden(DomainError):
    status, code, title = 403, "forbidden", "Forbidden"


class Unauthorized(DomainError):
    status, code, title = 401, "unauthorized", "Unauthorized"


class ServiceUnavailable(DomainError):
    status, code, title = 503, "service-unavailable", "Service unavailable"


class InvalidInput(DomainError):
    """Input that parses but breaks a rule: names the offending field."""

    status, code, title = 422, "invalid-input", "Invalid input"

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}", [FieldError(field_name, message)])


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    rid = current_request_id()
    if rid:
        body["request_id"] = rid
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple) -> str:
    # ("body", "area_m2") -> "area_m2"; ("query", "limit") -> "limit" (the part a client can act on)
    parts = [str(p) for p in loc if p not in ("body",)]
    if parts and parts[0] in ("query", "path", "header", "cookie"):
        parts = parts[1:] or parts
    return ".".join(parts) or "body"


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        out.append({"field": _field_path(tuple(err.get("loc", ()))), "message": err.get("msg", "invalid")})
    return out


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError):
        return problem_response(
            exc.status, exc.code, exc.title, exc.detail, instance=request.url.path,
            errors=[{"field": e.field, "message": e.message} for e in exc.errors] or None, headers=exc.headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)[:500]
        return problem_response(422, "invalid-input", "Invalid input", detail, instance=request.url.path,
                                errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400:  # the framework could not read the body (not UTF-8, broken multipart)
            return problem_response(422, "invalid-input", "Invalid input", f"body: {exc.detail}",
                                    instance=request.url.path, errors=[{"field": "body", "message": str(exc.detail)}])
        title = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized", 403: "Forbidden"}.get(
            exc.status_code, "Error")
        code = title.lower().replace(" ", "-")
        return problem_response(exc.status_code, code, title, str(exc.detail), instance=request.url.path,
                                headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(500, "internal", "Internal error", "An unexpected error occurred.",
                                instance=request.url.path)
