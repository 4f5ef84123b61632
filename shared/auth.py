"""The identity the gateway passes to services, and the checks services make on it (defence in depth).

The gateway verifies the caller (user JWT or API key) and forwards a short-lived internal token signed with
``MINSHENG_INTERNAL_TOKEN_SECRET`` in ``X-Minsheng-Identity``. A service never trusts a bare header: it
verifies this token on every request, then applies the same role rules as the gateway.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import jwt
from fastapi import Request

from shared.errors import Forbidden, Unauthorized

IDENTITY_HEADER = "x-minsheng-identity"
INTERNAL_AUDIENCE = "minsheng-services"
INTERNAL_ISSUER = "minsheng-gateway"
INTERNAL_TOKEN_TTL = 120

# Roles of the platform. Area staff write only in their area; approvers are distinct from makers.
ROLES = (
    "admin", "auditor", "renovation", "jobs", "jobs-approver", "community", "doctor", "resident", "integration",
)


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    kind: str = "user"  # user | api_key
    person_ref: str | None = None  # a resident's own pseudonymous reference
    street_code: str | None = None  # staff bound to one street, when set

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles


def issue_internal_token(principal: Principal, secret: str, *, ttl: int = INTERNAL_TOKEN_TTL,
                         request_id: str | None = None) -> str:
    now = int(time.time())
    claims = {
        "iss": INTERNAL_ISSUER, "aud": INTERNAL_AUDIENCE, "iat": now, "exp": now + ttl,
        "sub": principal.subject, "roles": sorted(principal.roles), "scopes": sorted(principal.scopes),
        "kind": principal.kind,
    }
    if principal.person_ref:
        claims["pref"] = principal.person_ref
    if principal.street_code:
        claims["street"] = principal.street_code
    if request_id:
        claims["rid"] = request_id
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_internal_token(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], audience=INTERNAL_AUDIENCE, issuer=INTERNAL_ISSUER,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"internal identity rejected: {exc}") from exc
    return Principal(
        subject=str(claims["sub"]), roles=frozenset(claims.get("roles", ())),
        scopes=frozenset(claims.get("scopes", ())), kind=claims.get("kind", "user"),
        person_ref=claims.get("pref"), street_code=claims.get("street"),
    )


def principal_from_request(request: Request) -> Principal:
    token = request.headers.get(IDENTITY_HEADER)
    if not token:
        raise Unauthorized("authentication required", headers={"WWW-Authenticate": "Bearer"})
    return verify_internal_token(token, request.app.state.settings.internal_token_secret.get_secret_value())


def require_roles(*roles: str):
    """FastAPI dependency: the caller holds one of ``roles`` (admin always passes)."""
    allowed = frozenset(roles) | {"admin"}

    async def dependency(request: Request) -> Principal:
        principal = principal_from_request(request)
        if not principal.roles & allowed:
            raise Forbidden(f"requires one of the roles: {', '.join(sorted(allowed))}")
        return principal

    return dependency


def require_scope(scope: str):
    """FastAPI dependency for integration clients: the API key carries ``scope``."""

    async def dependency(request: Request) -> Principal:
        principal = principal_from_request(request)
        if not (principal.has_scope(scope) or principal.is_admin):
            raise Forbidden(f"requires the scope {scope!r}")
        return principal

    return dependency


async def authenticated(request: Request) -> Principal:
    return principal_from_request(request)


def roles_header(principal: Principal, secret: str) -> dict[str, str]:
    """Headers a test or an internal caller sends to act as ``principal``."""
    return {IDENTITY_HEADER: issue_internal_token(principal, secret)}


def principal(subject: str, roles: Iterable[str] = (), **kwargs) -> Principal:
    return Principal(subject=subject, roles=frozenset(roles), **kwargs)
