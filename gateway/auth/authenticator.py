"""Who is calling: a user JWT (local issuer or OIDC) or an API key, verified once and then cached.

The proxy's hot path asks this for every request, so a verified caller is kept with the internal identity
token already minted (``X-Minsheng-Identity``) until shortly before either expires: a repeated request costs
one dictionary lookup instead of a signature check and a signing.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from limits import RateLimitItem
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.auth.oidc import OidcVerifier
from gateway.auth.tokens import TokenRejected, principal_from_local, unverified_issuer, verify_local
from gateway.keys.service import find_usable_key
from gateway.ratelimit import parse_limit
from gateway.settings import Settings
from shared.auth import Principal, issue_internal_token
from shared.errors import Unauthorized

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="minsheng"'}
_MAX_ENTRIES = 50_000


@dataclass(slots=True)
class Caller:
    principal: Principal
    identity: bytes  # the internal token, ready for an ASGI header
    owner: str  # "user:<sub>" or "key:<id>": rate-limit bucket and Idempotency-Key namespace
    limit: RateLimitItem | None
    valid_until: float  # wall clock
    key_id: uuid.UUID | None = None


def rejected(detail: str) -> Unauthorized:
    return Unauthorized(detail, headers=_CHALLENGE)


class Authenticator:
    def __init__(self, settings: Settings, session_factory: async_sessionmaker[AsyncSession] | None = None, *,
                 oidc: OidcVerifier | None = None, wall: Callable[[], float] = time.time):
        self.settings = settings
        self.session_factory = session_factory
        self.oidc = oidc
        self.wall = wall
        self._secret = settings.internal_token_secret.get_secret_value()
        self._jwt_secret = settings.jwt_secret.get_secret_value()
        self._refresh_after = settings.identity_token_ttl * 0.75
        self._user_limit = parse_limit(settings.rate_limit_user)
        self._key_limit = parse_limit(settings.rate_limit_api_key)
        self._cache: dict[str, Caller] = {}

    async def authenticate(self, authorization: str | None, api_key: str | None) -> Caller:
        credential = api_key or authorization
        if not credential:
            raise rejected("authentication required: a bearer token or an X-API-Key")
        cached = self._cache.get(credential)
        if cached is not None and cached.valid_until > self.wall():
            return cached
        if api_key:
            caller = await self._from_api_key(api_key)
        else:
            scheme, _, value = authorization.partition(" ")
            scheme = scheme.lower()
            if scheme == "bearer" and value:
                caller = await self._from_jwt(value.strip())
            elif scheme == "apikey" and value:
                caller = await self._from_api_key(value.strip())
            else:
                raise rejected("unsupported authorization scheme; use Bearer")
        if len(self._cache) >= _MAX_ENTRIES:
            for stale in list(self._cache)[: _MAX_ENTRIES // 10]:  # oldest first (insertion order)
                self._cache.pop(stale, None)
        self._cache[credential] = caller
        return caller

    def forget_key(self, key_id: uuid.UUID) -> None:
        """A revoked or rotated key stops here at once (other replicas within ``api_key_cache_seconds``)."""
        for credential in [c for c, caller in self._cache.items() if caller.key_id == key_id]:
            self._cache.pop(credential, None)

    def _mint(self, principal: Principal) -> bytes:
        return issue_internal_token(principal, self._secret, ttl=self.settings.identity_token_ttl).encode()

    async def _from_jwt(self, token: str) -> Caller:
        s = self.settings
        try:
            issuer = unverified_issuer(token)
            if s.local_issuer_enabled and issuer == s.jwt_issuer:
                claims = verify_local(token, secret=self._jwt_secret, issuer=s.jwt_issuer, audience=s.jwt_audience)
                principal, expires = principal_from_local(claims), float(claims["exp"])
            elif self.oidc is not None and issuer == s.oidc_issuer:
                principal, expires = await self.oidc.verify(token)
            else:
                raise TokenRejected("token issuer is not trusted")
        except TokenRejected as exc:
            raise rejected(str(exc)) from exc
        now = self.wall()
        return Caller(principal, self._mint(principal), f"user:{principal.subject}", self._user_limit,
                      min(expires, now + self._refresh_after))

    async def _from_api_key(self, raw: str) -> Caller:
        if self.session_factory is None:
            raise rejected("API keys are not accepted here")
        now = self.wall()
        async with self.session_factory() as session:
            record, why = await find_usable_key(session, raw, now=datetime.fromtimestamp(now, UTC))
        if record is None:
            raise rejected(why)
        principal = Principal(subject=f"api-key:{record.name}:{record.prefix}", roles=frozenset(record.roles),
                              scopes=frozenset(record.scopes), kind="api_key")
        valid_until = now + self.settings.api_key_cache_seconds
        if record.expires_at is not None:
            valid_until = min(valid_until, record.expires_at.timestamp())
        limit = parse_limit(record.rate_limit) if record.rate_limit else self._key_limit
        return Caller(principal, self._mint(principal), f"key:{record.id}", limit, valid_until, record.id)
