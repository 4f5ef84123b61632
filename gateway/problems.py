"""RFC 9457 problem+json written straight to ASGI (the proxy path has no FastAPI to do it)."""

from __future__ import annotations

import orjson

from gateway.proxy.headers import SECURITY_HEADERS
from shared.errors import PROBLEM_BASE, PROBLEM_JSON


def problem_body(status: int, code: str, title: str, detail: str, *, instance: str | None = None,
                 request_id: str | None = None, errors: list[dict] | None = None) -> bytes:
    body = {"type": PROBLEM_BASE + code, "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if request_id:
        body["request_id"] = request_id
    if errors:
        body["errors"] = errors
    return orjson.dumps(body)


async def send_problem(send, status: int, code: str, title: str, detail: str, *, request_id: str,
                       instance: str | None = None, headers: dict[str, str] | None = None,
                       errors: list[dict] | None = None) -> None:
    body = problem_body(status, code, title, detail, instance=instance, request_id=request_id, errors=errors)
    raw = [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
           (b"x-request-id", request_id.encode()), *SECURITY_HEADERS]
    for name, value in (headers or {}).items():
        raw.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
