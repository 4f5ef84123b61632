"""Tokens of an external OIDC issuer (production): keys from its JWKS, fetched without blocking the loop."""

from __future__ import annotations

import asyncio
import logging
import time

import aiohttp
import jwt

from gateway.auth.tokens import TokenRejected, decode_checked, known_roles
from gateway.settings import Settings
from shared.auth import Principal
from shared.identity import InvalidIdNumber, person_ref

log = logging.getLogger("minsheng.gateway.oidc")
_REFRESH_FLOOR = 30.0  # an unknown kid triggers at most one refetch per this many seconds


def claim_at(claims: dict, path: str):
    value = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class OidcVerifier:
    def __init__(self, settings: Settings, http: aiohttp.ClientSession | None = None):
        self.settings = settings
        self.issuer = settings.oidc_issuer
        self.algorithms = [a.strip() for a in settings.oidc_algorithms.split(",") if a.strip()]
        self._http = http
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    def bind(self, http: aiohttp.ClientSession) -> None:
        self._http = http

    async def _refresh(self, *, force: bool) -> None:
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            if (not force and age < self.settings.oidc_jwks_cache_seconds) or (force and age < _REFRESH_FLOOR):
                return
            try:
                async with self._http.get(self.settings.oidc_jwks_url,
                                          timeout=aiohttp.ClientTimeout(total=5)) as response:
                    response.raise_for_status()
                    document = await response.json(content_type=None)
                keys = jwt.PyJWKSet.from_dict(document).keys
            except Exception as exc:
                log.warning("JWKS fetch failed", extra={"error": repr(exc)})
                if not self._keys:
                    raise TokenRejected("the identity provider's keys are unavailable") from exc
                return
            self._keys = {k.key_id: k for k in keys if k.key_id}
            self._fetched_at = time.monotonic()

    async def _key_for(self, token: str) -> jwt.PyJWK:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenRejected("malformed token") from exc
        if header.get("alg") not in self.algorithms:
            raise TokenRejected("token algorithm is not accepted")
        kid = header.get("kid")
        await self._refresh(force=False)
        if kid not in self._keys:
            await self._refresh(force=True)  # the issuer may have rotated its keys
        if kid not in self._keys:
            raise TokenRejected("token signed by an unknown key")
        return self._keys[kid]

    async def verify(self, token: str) -> tuple[Principal, float]:
        key = await self._key_for(token)
        claims = decode_checked(token, key, algorithms=self.algorithms, issuer=self.issuer,
                                audience=self.settings.oidc_audience)
        return self.principal(claims), float(claims["exp"])

    def principal(self, claims: dict) -> Principal:
        s = self.settings
        ref = claim_at(claims, s.oidc_person_ref_claim) if s.oidc_person_ref_claim else None
        if not ref and s.oidc_id_number_claim:
            raw = claim_at(claims, s.oidc_id_number_claim)
            if isinstance(raw, str):
                try:
                    ref = person_ref(raw, s.person_ref_key.get_secret_value())
                except InvalidIdNumber:
                    ref = None  # never echo or log the number
        street = claim_at(claims, s.oidc_street_claim) if s.oidc_street_claim else None
        return Principal(subject=str(claims["sub"]), roles=known_roles(claim_at(claims, s.oidc_roles_claim)),
                         kind="user", person_ref=ref if isinstance(ref, str) else None,
                         street_code=street if isinstance(street, str) else None)
