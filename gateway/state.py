"""Everything the gateway holds while it runs, built without I/O and started/stopped by the lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from gateway.auth.authenticator import Authenticator
from gateway.auth.oidc import OidcVerifier
from gateway.idempotency.store import IdempotencyStore
from gateway.metrics import GatewayMetrics
from gateway.openapi.source import MergedOpenAPI
from gateway.proxy.client import UpstreamClient
from gateway.proxy.handler import ProxyHandler
from gateway.proxy.upstreams import build_upstreams
from gateway.ratelimit import RateLimiter, parse_limit
from gateway.settings import Settings
from shared.database import create_engine, create_session_factory, utcnow
from shared.migrate import ensure_sqlite_dir

log = logging.getLogger("minsheng.gateway")


class Gateway:
    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.clock = clock
        self.metrics = GatewayMetrics()
        self.upstreams = build_upstreams(settings, clock)
        self.client = UpstreamClient(settings, self.metrics)
        self.limiter = RateLimiter(strategy=settings.rate_limit_strategy, redis_url=settings.redis_url)
        self.login_limit = parse_limit(settings.rate_limit_login)
        self.oidc = OidcVerifier(settings) if settings.oidc_issuer else None
        self.engine = None
        self.session_factory = None
        self.authenticator = Authenticator(settings, None, oidc=self.oidc)
        self.idempotency: IdempotencyStore | None = None
        self.proxy = ProxyHandler(settings=settings, upstreams=self.upstreams, client=self.client,
                                  authenticator=self.authenticator, limiter=self.limiter, metrics=self.metrics,
                                  idempotency=None)
        self.openapi: MergedOpenAPI | None = None
        self._purger: asyncio.Task | None = None

    async def start(self, gateway_doc: Callable[[], dict]) -> None:
        s = self.settings
        ensure_sqlite_dir(s.database_url)
        self.engine = create_engine(s.database_url, pool_size=s.database_pool_size)
        self.session_factory = create_session_factory(self.engine)
        self.authenticator.session_factory = self.session_factory
        self.idempotency = IdempotencyStore(self.session_factory, ttl=timedelta(hours=s.idempotency_ttl_hours),
                                            stale_after=timedelta(seconds=max(60.0, s.request_deadline * 4)))
        self.proxy.idempotency = self.idempotency
        await self.client.start()
        if self.oidc is not None:
            self.oidc.bind(self.client.session)
        self.openapi = MergedOpenAPI(s, self.client, self.upstreams, gateway_doc, self.clock)
        self._purger = asyncio.create_task(self._purge_idempotency_records())
        log.info("gateway started", extra={
            "areas": {a: [r.base_url for r in u.replicas] for a, u in self.upstreams.items()},
            "local_issuer": s.local_issuer_enabled, "oidc": bool(s.oidc_issuer),
            "rate_limits": "redis" if self.limiter.shared else "memory (this replica only)"})
        if s.environment == "production" and not s.oidc_issuer:
            log.warning("no OIDC issuer configured: in production users cannot sign in (API keys only)")

    async def _purge_idempotency_records(self, every: float = 3600.0) -> None:
        """Expired Idempotency-Key records go (a retry after the TTL is a new request anyway)."""
        while True:
            try:
                removed = await self.idempotency.purge_expired(now=utcnow())
                if removed:
                    log.info("idempotency records purged", extra={"count": removed})
            except Exception:
                log.exception("idempotency purge failed")
            await asyncio.sleep(every)

    async def stop(self) -> None:
        self.proxy.access_log.flush()
        if self._purger is not None:
            self._purger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._purger
        await self.client.close(self.upstreams)
        if self.engine is not None:
            await self.engine.dispose()
