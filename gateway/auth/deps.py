"""FastAPI dependencies for the gateway's own endpoints: the same authenticator as the proxy."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gateway.auth.authenticator import Caller
from shared.errors import DomainError, Forbidden


class TooManyRequests(DomainError):
    status, code, title = 429, "rate-limited", "Too many requests"


async def current_caller(request: Request) -> Caller:
    """The verified caller, within their rate limit (the same bucket as their proxied requests)."""
    gateway = request.app.state.gateway
    caller = await gateway.authenticator.authenticate(request.headers.get("authorization"),
                                                      request.headers.get("x-api-key"))
    if caller.limit is not None:
        ok, wait = await gateway.limiter.hit(caller.limit, "caller", caller.owner)
        if not ok:
            gateway.metrics.rate_limited.labels("caller").inc()
            raise TooManyRequests(f"rate limit per caller reached; retry in {wait} s",
                                  headers={"Retry-After": str(wait)})
    return caller


def require_roles(*roles: str):
    """The caller holds one of ``roles`` (admin always passes)."""
    allowed = frozenset(roles) | {"admin"}

    async def dependency(caller: Annotated[Caller, Depends(current_caller)]) -> Caller:
        if not caller.principal.roles & allowed:
            raise Forbidden(f"requires one of the roles: {', '.join(sorted(allowed))}")
        return caller

    return dependency


CurrentCaller = Annotated[Caller, Depends(current_caller)]
Admin = Annotated[Caller, Depends(require_roles("admin"))]
# The one-screen overview: district leaders (admin), auditors and the staff of every area.
OverviewReader = Annotated[Caller, Depends(require_roles("auditor", "renovation", "jobs", "jobs-approver",
                                                         "community", "doctor"))]
