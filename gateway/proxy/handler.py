"""The hot path: ``/api/v1/<area>/<path>`` -> ``<a replica of area>/<path>``, as a bare ASGI handler.

Order of work, cheapest refusal first: rate limit by IP, authenticate (cached), rate limit by caller, the
gateway's own role/scope rules, the body, admission (a slot of the area, else 503 at once), Idempotency-Key,
then the upstream call (retries, breakers). The slot is given back as soon as the upstream has answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime

import aiohttp

from gateway.accesslog import AccessLog
from gateway.auth.authenticator import Authenticator
from gateway.auth.policy import refusal
from gateway.idempotency.store import IN_PROGRESS, MISMATCH, REPLAY, IdempotencyStore, fingerprint
from gateway.metrics import GatewayMetrics
from gateway.problems import send_problem
from gateway.proxy.admission import FULL, UNLIMITED, Shed, Slot, build_gates
from gateway.proxy.client import UpstreamClient, UpstreamUnavailable
from gateway.proxy.headers import client_response_headers, upstream_request_headers
from gateway.proxy.retry import may_repeat
from gateway.proxy.upstreams import Upstream
from gateway.ratelimit import RateLimiter, parse_limit
from gateway.settings import Settings
from shared.errors import DomainError
from shared.observability import accept_request_id

log = logging.getLogger("minsheng.gateway")
PREFIX = "/api/v1/"
BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
IDEMPOTENCY_KEY_MAX = 255
SHED_RETRY_AFTER = 1  # seconds: a saturated area frees slots within a request's time, not a breaker's


class RequestTooLarge(Exception):
    pass


def client_ip(scope, headers: dict[bytes, bytes], trusted_hops: int) -> str:
    """The peer address, or the address our own ``trusted_hops`` load balancers saw (never a client's claim)."""
    if trusted_hops > 0:
        chain = headers.get(b"x-forwarded-for")
        if chain:
            hops = [h.strip() for h in chain.decode("latin-1").split(",") if h.strip()]
            if len(hops) >= trusted_hops:
                return hops[-trusted_hops]
    peer = scope.get("client")
    return peer[0] if peer else "unknown"


async def read_body(receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


class ProxyHandler:
    def __init__(self, *, settings: Settings, upstreams: dict[str, Upstream], client: UpstreamClient,
                 authenticator: Authenticator, limiter: RateLimiter, metrics: GatewayMetrics,
                 idempotency: IdempotencyStore | None):
        self.settings = settings
        self.upstreams = upstreams
        self.client = client
        self.authenticator = authenticator
        self.limiter = limiter
        self.metrics = metrics
        self.idempotency = idempotency
        self.ip_limit = parse_limit(settings.rate_limit_ip)
        self.access_log = AccessLog("minsheng.gateway", enabled=settings.access_log, json_lines=settings.log_json)
        self.routes = {area: f"{PREFIX}{area}/{{path}}" for area in upstreams}
        self.gates = build_gates(settings, {area: len(u.replicas) for area, u in upstreams.items()})
        metrics.watch_admission(self.gates)

    def area_of(self, path: str) -> str | None:
        if not path.startswith(PREFIX):
            return None
        area = path[len(PREFIX):].split("/", 1)[0]
        return area if area in self.upstreams else None

    async def __call__(self, scope, receive, send, area: str) -> None:
        started = time.perf_counter()
        headers = dict(scope["headers"])  # last value wins; only single-valued headers are read from it
        raw_rid = headers.get(b"x-request-id")
        rid = accept_request_id(raw_rid.decode("latin-1") if raw_rid else None)
        status, refused = 500, None
        try:
            status = await self._handle(scope, receive, send, area, headers, rid)
        except Shed as shed:
            status, refused = await self._shed(send, shed, rid, scope["path"]), "shed"
        except Exception:
            log.exception("proxy error", extra={"route": self.routes[area], "request_id": rid})
            with contextlib.suppress(Exception):  # nothing to add if the response had already started
                await send_problem(send, 500, "internal", "Internal error", "An unexpected error occurred.",
                                   request_id=rid, instance=scope["path"])
        finally:
            elapsed = time.perf_counter() - started
            method = scope["method"]
            self.metrics.observe_request(method, self.routes[area], status, elapsed)
            self.access_log.add(method, self.routes[area], status, round(elapsed * 1000, 2), rid, refused)

    async def _handle(self, scope, receive, send, area: str, headers: dict[bytes, bytes], rid: str) -> int:
        method = scope["method"]
        instance = scope["path"]
        ip = client_ip(scope, headers, self.settings.trusted_proxy_hops)
        if self.ip_limit is not None:
            ok, wait = await self.limiter.hit(self.ip_limit, "ip", ip)
            if not ok:
                return await self._too_many(send, "ip", wait, rid, instance)
        try:
            authorization = headers.get(b"authorization")
            api_key = headers.get(b"x-api-key")
            caller = await self.authenticator.authenticate(
                authorization.decode("latin-1") if authorization else None,
                api_key.decode("latin-1") if api_key else None)
        except DomainError as exc:
            await send_problem(send, exc.status, exc.code, exc.title, exc.detail, request_id=rid, instance=instance,
                               headers=exc.headers)
            return exc.status
        if caller.limit is not None:
            ok, wait = await self.limiter.hit(caller.limit, "caller", caller.owner)
            if not ok:
                return await self._too_many(send, "caller", wait, rid, instance)
        why = refusal(caller.principal, area, method)
        if why:
            await send_problem(send, 403, "forbidden", "Forbidden", why, request_id=rid, instance=instance)
            return 403

        body = None
        if method not in BODYLESS or headers.get(b"content-length") or headers.get(b"transfer-encoding"):
            try:
                body = await read_body(receive, self.settings.max_body_bytes)
            except RequestTooLarge:
                await send_problem(send, 413, "payload-too-large", "Payload too large",
                                   f"the body exceeds {self.settings.max_body_bytes} bytes", request_id=rid,
                                   instance=instance)
                return 413

        raw_path = scope.get("raw_path") or scope["path"].encode()
        # The prefix is cut from the path as sent (still percent-encoded), wherever the area segment ends.
        slash = raw_path.find(b"/", len(PREFIX))
        target = raw_path[slash:] if slash != -1 else b"/"
        if scope.get("query_string"):
            target += b"?" + scope["query_string"]
        idem_key = headers.get(b"idempotency-key") if method == "POST" else None
        key = None
        if idem_key is not None:
            key = idem_key.decode("latin-1").strip()
            if not key or len(key) > IDEMPOTENCY_KEY_MAX:
                await send_problem(send, 422, "invalid-input", "Invalid input",
                                   f"Idempotency-Key: must be 1 to {IDEMPOTENCY_KEY_MAX} characters",
                                   request_id=rid, instance=instance,
                                   errors=[{"field": "Idempotency-Key", "message": "invalid length"}])
                return 422

        out_headers = upstream_request_headers(scope["headers"], identity=caller.identity, request_id=rid,
                                               client_ip=ip, forwarded_for=headers.get(b"x-forwarded-for"))
        # An event stream takes no slot: it stays open for minutes and would pin one the whole time.
        if method == "GET" and b"text/event-stream" in headers.get(b"accept", b""):
            if self.upstreams[area].replicas[0].pool is None:
                return await self._stream(receive, send, area, target, out_headers, rid, instance)
            return await self._forward(receive, send, area, method, target, out_headers, body, rid, instance,
                                       UNLIMITED)
        slot = await self.gates[area].enter()  # Shed: 503 at once
        try:
            if key is not None:
                return await self._idempotent(send, area, rid, instance, caller, target, out_headers, body or b"",
                                              key, slot)
            return await self._forward(receive, send, area, method, target, out_headers, body, rid, instance, slot)
        finally:
            slot.release()

    async def _forward(self, receive, send, area: str, method: str, target: bytes, out_headers, body: bytes | None,
                       rid: str, instance: str, slot: Slot) -> int:
        try:
            response = await self.client.send(self.upstreams[area], method, target, out_headers,
                                              body, repeatable=may_repeat(method, has_idempotency_key=False))
        except UpstreamUnavailable as exc:
            return await self._unavailable(send, exc, rid, instance)
        finally:
            slot.release()  # the upstream has answered (or given up): the client's pace is not the area's
        headers_out = client_response_headers(response.headers, request_id=rid.encode())
        if response.stream is not None:
            try:
                await self._pump(receive, send, response.status, headers_out,
                                 response.stream.chunks(self.settings.stream_idle_timeout))
            finally:
                response.stream.close()
            return response.status
        await self._respond(send, response.status, headers_out, response.body)
        return response.status

    async def _idempotent(self, send, area: str, rid: str, instance: str, caller, target: bytes, out_headers,
                          body: bytes, key: str, slot: Slot) -> int:
        if self.idempotency is None:
            await send_problem(send, 503, "service-unavailable", "Service unavailable",
                               "Idempotency-Key cannot be honoured right now", request_id=rid, instance=instance)
            return 503
        now = datetime.now(UTC)
        begun = await self.idempotency.begin(owner=caller.owner, key=key, fingerprint=fingerprint("POST", target, body),
                                             now=now)
        if begun.outcome == MISMATCH:
            await send_problem(send, 422, "idempotency-key-reused", "Idempotency-Key reused",
                               "this Idempotency-Key was used for a different request", request_id=rid,
                               instance=instance, errors=[{"field": "Idempotency-Key", "message": "reused"}])
            return 422
        if begun.outcome == IN_PROGRESS:
            await send_problem(send, 409, "conflict", "Conflict",
                               "a request with this Idempotency-Key is still in progress", request_id=rid,
                               instance=instance, headers={"Retry-After": "1"})
            return 409
        if begun.outcome == REPLAY:
            replay = [*begun.headers, (b"idempotent-replayed", b"true")]
            await self._respond(send, begun.status, client_response_headers(tuple(replay), request_id=rid.encode()),
                                begun.body or b"")
            return begun.status
        try:
            try:
                response = await self.client.send(self.upstreams[area], "POST", target, out_headers,
                                                  body, repeatable=True)
            finally:
                slot.release()  # before the gateway's own bookkeeping below
        except UpstreamUnavailable as exc:
            await self.idempotency.abandon(owner=caller.owner, key=key)
            return await self._unavailable(send, exc, rid, instance)
        except BaseException:
            await self.idempotency.abandon(owner=caller.owner, key=key)
            raise
        if response.stream is not None:  # an event stream is no outcome to replay
            response.stream.close()
            await self.idempotency.abandon(owner=caller.owner, key=key)
            await send_problem(send, 502, "bad-gateway", "Bad gateway", "a POST answered with an event stream",
                               request_id=rid, instance=instance)
            return 502
        if response.status >= 500:
            await self.idempotency.abandon(owner=caller.owner, key=key)
        else:
            await self.idempotency.complete(owner=caller.owner, key=key, status=response.status,
                                            headers=response.headers, body=response.body)
        await self._respond(send, response.status, client_response_headers(response.headers,
                                                                           request_id=rid.encode()), response.body)
        return response.status

    async def _stream(self, receive, send, area: str, target: bytes, out_headers, rid: str, instance: str) -> int:
        """A client asking for server-sent events from an HTTPS replica (aiohttp streams it)."""
        try:
            async with self.client.stream(self.upstreams[area], target, out_headers) as response:
                headers = client_response_headers(response.raw_headers, request_id=rid.encode())
                await self._pump(receive, send, response.status, headers, response.content.iter_any())
                return response.status
        except UpstreamUnavailable as exc:
            return await self._unavailable(send, exc, rid, instance)

    async def _pump(self, receive, send, status: int, headers, chunks) -> None:
        """Pass a stream through chunk by chunk until the service ends it, falls silent for
        ``stream_idle_timeout``, or the client goes away (then the upstream connection is dropped too)."""
        await send({"type": "http.response.start", "status": status, "headers": headers})

        async def pump():
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async for chunk in chunks:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})

        async def client_gone():
            while (await receive())["type"] != "http.disconnect":
                pass

        tasks = {asyncio.create_task(pump()), asyncio.create_task(client_gone())}
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b""})

    @staticmethod
    async def _respond(send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _too_many(self, send, which: str, wait: int, rid: str, instance: str) -> int:
        self.metrics.rate_limited.labels(which).inc()
        await send_problem(send, 429, "rate-limited", "Too many requests",
                           f"rate limit per {'IP address' if which == 'ip' else 'caller'} reached; retry in {wait} s",
                           request_id=rid, instance=instance, headers={"Retry-After": str(wait)})
        return 429

    async def _shed(self, send, shed: Shed, rid: str, instance: str) -> int:
        self.metrics.shed_request(shed.area, shed.reason)
        why = "is at its limit" if shed.reason == FULL else "stayed at its limit while this request waited"
        await send_problem(send, 503, "overloaded", "Too busy: retry shortly",
                           f"the {shed.area} service {why} ({shed.limit} requests at once through this gateway); "
                           "other areas keep serving", request_id=rid, instance=instance,
                           headers={"Retry-After": str(SHED_RETRY_AFTER)})
        return 503

    @staticmethod
    async def _unavailable(send, exc: UpstreamUnavailable, rid: str, instance: str) -> int:
        await send_problem(send, 503, "upstream-unavailable", "Service unavailable",
                           f"the {exc.area} service is unavailable ({exc.reason}); other areas keep serving",
                           request_id=rid, instance=instance, headers={"Retry-After": str(exc.retry_after)})
        return 503
