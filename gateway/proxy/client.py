"""Calls to upstreams: replica choice, per-attempt timeouts within a total deadline, safe retries within a
budget, and the circuit breakers fed with every outcome.

Plain-HTTP replicas (the cluster-internal case) go through the lean keep-alive client in ``http1``; HTTPS
replicas and server-sent event streams through one pooled aiohttp session.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aiohttp
from yarl import URL

from gateway.metrics import GatewayMetrics
from gateway.proxy.http1 import BadResponse, ConnectFailed, Disconnected, EventStream
from gateway.proxy.retry import RETRY_STATUSES, backoff_seconds
from gateway.proxy.upstreams import Replica, Upstream
from gateway.settings import Settings

Headers = list[tuple[bytes, bytes]]


@dataclass(slots=True)
class UpstreamResponse:
    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    stream: EventStream | None = None  # server-sent events: the body comes from here, as it is sent


class UpstreamUnavailable(Exception):
    """No answer from the area: every replica refused, timed out or is behind an open breaker."""

    def __init__(self, area: str, reason: str, retry_after: int = 1):
        super().__init__(f"{area}: {reason}")
        self.area = area
        self.reason = reason
        self.retry_after = retry_after


def new_session(settings: Settings) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=settings.upstream_pool_size * 4, limit_per_host=settings.upstream_pool_size,
                                     keepalive_timeout=30, ttl_dns_cache=300)
    # Bodies pass through as the service sent them (no decompression, no added headers).
    return aiohttp.ClientSession(connector=connector, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar(),
                                 skip_auto_headers=("User-Agent", "Accept-Encoding"))


def as_str_headers(headers: Headers) -> list[tuple[str, str]]:
    return [(n.decode("latin-1"), v.decode("latin-1")) for n, v in headers]


class UpstreamClient:
    def __init__(self, settings: Settings, metrics: GatewayMetrics):
        self.settings = settings
        self.metrics = metrics
        self.session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self.session = new_session(self.settings)

    async def close(self, upstreams: dict[str, Upstream] | None = None) -> None:
        for upstream in (upstreams or {}).values():
            for replica in upstream.replicas:
                if replica.pool is not None:
                    replica.pool.close()
        if self.session is not None:
            await self.session.close()

    async def send(self, upstream: Upstream, method: str, target: bytes, headers: Headers, body: bytes | None, *,
                   repeatable: bool, deadline: float | None = None) -> UpstreamResponse:
        """``target`` is the path and query as sent (already encoded). ``repeatable``: the request may be sent
        again after it may have reached the service. Connect failures are retried whatever the method."""
        loop = asyncio.get_running_loop()
        deadline_at = loop.time() + (deadline if deadline is not None else self.settings.request_deadline)
        upstream.budget.deposit()
        attempt, avoid, reason = 0, None, "unavailable"
        while True:
            replica = upstream.pick(avoid)
            if replica is None:
                self.metrics.upstream_outcome(upstream.area, "circuit_open")
                raise UpstreamUnavailable(upstream.area, "circuit open" if attempt == 0 else reason,
                                          upstream.retry_after())
            remaining = deadline_at - loop.time()
            if remaining <= 0:
                replica.breaker.release()
                raise UpstreamUnavailable(upstream.area, "deadline exceeded")
            try:
                response = await self._attempt(replica, method, target, headers, body,
                                               min(remaining, self.settings.upstream_timeout))
            except (ConnectFailed, aiohttp.ConnectionTimeoutError, aiohttp.ClientConnectorError):
                replica.breaker.record_failure()
                reason = "connection refused or timed out"
                retry_now = self._may_retry(upstream, attempt)  # it never reached the service: always safe
            except TimeoutError:
                replica.breaker.record_failure()
                reason, retry_now = "timed out", False  # it may still be working on it: never repeated
            except (Disconnected, BadResponse, aiohttp.ClientError, OSError):
                replica.breaker.record_failure()
                reason = "connection lost"
                retry_now = repeatable and self._may_retry(upstream, attempt)
            except BaseException:
                replica.breaker.release()
                raise
            else:
                if response.status not in RETRY_STATUSES:
                    replica.breaker.record_success()
                    self.metrics.upstream_outcome(upstream.area, "ok")
                    return response
                replica.breaker.record_failure()
                if not (repeatable and self._may_retry(upstream, attempt)):
                    self.metrics.upstream_outcome(upstream.area, "error_status")
                    return response  # the service's own answer, as it gave it
                reason, retry_now = f"answered {response.status}", True
            if not retry_now:
                self.metrics.upstream_outcome(upstream.area, "failed")
                raise UpstreamUnavailable(upstream.area, reason, upstream.retry_after())
            attempt, avoid = attempt + 1, replica
            self.metrics.upstream_outcome(upstream.area, "retried")
            await asyncio.sleep(min(backoff_seconds(attempt, self.settings.retry_backoff_ms),
                                    max(0.0, deadline_at - loop.time())))

    def _may_retry(self, upstream: Upstream, attempt: int) -> bool:
        return attempt < self.settings.retry_attempts and upstream.budget.try_withdraw()

    async def _attempt(self, replica: Replica, method: str, target: bytes, headers: Headers, body: bytes | None,
                       timeout: float) -> UpstreamResponse:
        connect = min(self.settings.connect_timeout, timeout)
        if replica.pool is not None:
            async with asyncio.timeout(timeout):
                status, raw_headers, data = await replica.pool.request(method, target, headers, body,
                                                                       connect_timeout=connect)
            if isinstance(data, EventStream):
                return UpstreamResponse(status, raw_headers, b"", data)
            return UpstreamResponse(status, raw_headers, data)
        client_timeout = aiohttp.ClientTimeout(total=timeout, connect=connect)
        async with self.session.request(method, URL(replica.base_url + target.decode("latin-1"), encoded=True),
                                        headers=as_str_headers(headers), data=body, timeout=client_timeout,
                                        allow_redirects=False) as response:
            data = await response.read()
            return UpstreamResponse(response.status, response.raw_headers, data)

    @asynccontextmanager
    async def stream(self, upstream: Upstream, target: bytes,
                     headers: Headers) -> AsyncIterator[aiohttp.ClientResponse]:
        """A GET whose answer is a stream (server-sent events): headers within the usual timeout, then the body
        as it comes, for as long as the service keeps sending (``stream_idle_timeout`` between chunks)."""
        replica = upstream.pick()
        if replica is None:
            raise UpstreamUnavailable(upstream.area, "circuit open", upstream.retry_after())
        timeout = aiohttp.ClientTimeout(total=None, connect=self.settings.connect_timeout,
                                        sock_read=self.settings.stream_idle_timeout)
        try:
            response = await asyncio.wait_for(
                self.session.get(URL(replica.base_url + target.decode("latin-1"), encoded=True),
                                 headers=as_str_headers(headers), timeout=timeout, allow_redirects=False),
                self.settings.upstream_timeout)
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            replica.breaker.record_failure()
            self.metrics.upstream_outcome(upstream.area, "failed")
            raise UpstreamUnavailable(upstream.area, "no answer", upstream.retry_after()) from exc
        except BaseException:
            replica.breaker.release()
            raise
        if response.status in RETRY_STATUSES:
            replica.breaker.record_failure()
        else:
            replica.breaker.record_success()
        self.metrics.upstream_outcome(upstream.area, "stream")
        try:
            yield response
        finally:
            response.release()
