"""Gateway settings: ``GATEWAY_*`` for its own values, ``MINSHENG_*`` for the platform-wide ones.

The route table is configuration: ``GATEWAY_UPSTREAM_<AREA>`` (comma-separated base URLs of a service's
replicas), plus ``GATEWAY_ROUTES`` (a JSON object ``{"area": "url,url"}``) to add or override areas.
"""

from __future__ import annotations

import json

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import DEV_JWT_SECRET, PlatformSettings, platform_field

# Paths of the gateway's own endpoints: never an area.
RESERVED_AREAS = frozenset({"auth", "api-keys", "dashboard"})
# URL area -> the field holding its upstreams (the service package is chronic_care, the URL chronic-care).
AREA_FIELDS = {"renovation": "upstream_renovation", "jobs": "upstream_jobs", "community": "upstream_community",
               "chronic-care": "upstream_chronic_care"}


class Settings(PlatformSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", validate_by_name=True,
                                      validate_by_alias=True)

    database_url: str = "sqlite+aiosqlite:///./var/gateway.db"
    database_pool_size: int = 10

    # Route table.
    upstream_renovation: str = "http://127.0.0.1:8101"
    upstream_jobs: str = "http://127.0.0.1:8102"
    upstream_community: str = "http://127.0.0.1:8103"
    upstream_chronic_care: str = "http://127.0.0.1:8104"
    routes: str = ""

    # Users: a local HS256 issuer in development; an external OIDC issuer in production.
    jwt_secret: SecretStr = platform_field("jwt_secret", SecretStr(DEV_JWT_SECRET))
    jwt_issuer: str = "minsheng-gateway"
    jwt_audience: str = "minsheng-api"
    access_token_minutes: int = 60
    local_issuer: bool | None = None  # None: on unless MINSHENG_ENVIRONMENT=production
    oidc_issuer: str = ""
    oidc_jwks_url: str = ""
    oidc_audience: str = ""
    oidc_algorithms: str = "RS256,ES256"
    oidc_roles_claim: str = "roles"  # dotted path, e.g. realm_access.roles (Keycloak)
    oidc_person_ref_claim: str = "person_ref"
    oidc_id_number_claim: str = ""  # when the issuer gives the ID number: person_ref derived here, never logged
    oidc_street_claim: str = "street_code"
    oidc_jwks_cache_seconds: float = 600.0
    demo_password: SecretStr = platform_field("demo_password", SecretStr("minsheng-demo"))

    # API keys: verified keys are cached this long (a revocation reaches other replicas within it).
    api_key_cache_seconds: float = 5.0
    # The internal identity token minted per caller and reused for most of its life (hot path).
    identity_token_ttl: int = 120

    # Rate limits ("N/second|minute|hour"; empty turns one off). Redis shares them across replicas.
    redis_url: str = platform_field("redis_url", "")
    rate_limit_ip: str = "1200/minute"
    rate_limit_user: str = "600/minute"
    rate_limit_api_key: str = "600/minute"
    rate_limit_login: str = "20/minute"
    rate_limit_strategy: str = "sliding-window-counter"
    trusted_proxy_hops: int = 0  # X-Forwarded-For entries added by our own load balancers

    # Upstream calls.
    connect_timeout: float = 1.0
    upstream_timeout: float = 5.0  # one attempt (a hung service costs this once, then its breaker opens)
    request_deadline: float = 8.0  # all attempts of one request
    stream_idle_timeout: float = 60.0  # server-sent events: longest silence before the stream is dropped
    retry_attempts: int = 2  # extra attempts, only where safe
    retry_budget_ratio: float = 0.2  # retries at most this fraction of requests (plus a small floor)
    retry_backoff_ms: float = 20.0
    breaker_failures: int = 5  # consecutive failures that open a replica's breaker
    breaker_open_seconds: float = 10.0
    upstream_pool_size: int = 100
    upstream_idle_seconds: float = 4.0  # keep-alive connections are dropped sooner than the services' own (5 s)
    max_body_bytes: int = 10 * 1024 * 1024
    # Admission (proxy/admission.py): proxied requests in flight per area, per replica listed (0: no limit).
    # 8 = what one service process can usefully run at once: one event loop, its requests alternating between
    # Python and PostgreSQL, and at least 10 database connections (k8s: pool 5 + overflow 5); 8 keeps every
    # admitted request on a connection with some left for the outbox relay and consumers. More would only
    # queue inside the service, where nothing can shed them and each one holds a client until it times out.
    max_in_flight: int = 8
    max_in_flight_areas: str = ""  # JSON {"area": total}: an area behind one load-balanced URL (k8s Service)
    # A short queue absorbs bursts (a few slow requests at once) without refusing; a request that cannot get
    # a slot within the wait would be served late anyway (the load bench's p99 goal is 250 ms): 503 instead.
    admission_queue: int = 8  # per replica listed
    admission_wait_ms: float = 100.0  # 0: no queue
    idempotency_ttl_hours: int = 24

    overview_deadline: float = 2.5
    readiness_timeout: float = 1.0
    ready_requires_upstreams: bool = True  # turn off where an orchestrator must keep a degraded gateway in
    openapi_cache_seconds: float = 60.0

    cors_origins: str = ""  # comma-separated; "*" for any
    cors_allow_credentials: bool = False
    access_log: bool = True

    @model_validator(mode="after")
    def _gateway_secrets(self):
        self._refuse_default_secrets(("MINSHENG_JWT_SECRET", self.jwt_secret, DEV_JWT_SECRET))
        if self.oidc_issuer and not (self.oidc_jwks_url and self.oidc_audience):
            raise ValueError("GATEWAY_OIDC_ISSUER needs GATEWAY_OIDC_JWKS_URL and GATEWAY_OIDC_AUDIENCE")
        self.route_table()  # fail at start-up, not on the first request
        self.in_flight_overrides()
        return self

    @property
    def local_issuer_enabled(self) -> bool:
        return self.local_issuer if self.local_issuer is not None else self.environment != "production"

    def route_table(self) -> dict[str, tuple[str, ...]]:
        table = {area: getattr(self, name) for area, name in AREA_FIELDS.items()}
        if self.routes:
            extra = json.loads(self.routes)
            if not isinstance(extra, dict):
                raise ValueError("GATEWAY_ROUTES must be a JSON object {area: 'url,url'}")
            table.update(extra)
        out: dict[str, tuple[str, ...]] = {}
        for area, urls in table.items():
            replicas = tuple(u.strip().rstrip("/") for u in str(urls).split(",") if u.strip())
            if not replicas:
                continue  # an area left empty is simply not routed
            if area in RESERVED_AREAS or not area.replace("-", "").isalnum():
                raise ValueError(f"{area!r} cannot be an area name (reserved or not [a-z0-9-])")
            for url in replicas:
                if not url.startswith(("http://", "https://")):
                    raise ValueError(f"upstream of {area!r} must be an http(s) URL, got {url!r}")
            out[area] = replicas
        return out

    def in_flight_overrides(self) -> dict[str, int]:
        if not self.max_in_flight_areas:
            return {}
        values = json.loads(self.max_in_flight_areas)
        if not isinstance(values, dict) or not all(type(v) is int and v >= 0 for v in values.values()):
            raise ValueError("GATEWAY_MAX_IN_FLIGHT_AREAS must be a JSON object {area: whole number >= 0}")
        return values

    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]
