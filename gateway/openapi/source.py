"""Fetches the services' OpenAPI documents and keeps the merged result for a while."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import orjson

from gateway.openapi.merge import merge
from gateway.proxy.client import UpstreamClient, UpstreamUnavailable
from gateway.proxy.upstreams import Upstream
from gateway.settings import Settings

_RETRY_INCOMPLETE = 5.0  # seconds before a document missing an area is rebuilt


class MergedOpenAPI:
    def __init__(self, settings: Settings, client: UpstreamClient, upstreams: dict[str, Upstream],
                 gateway_doc: Callable[[], dict], clock: Callable[[], float] = time.monotonic):
        self.settings = settings
        self.client = client
        self.upstreams = upstreams
        self.gateway_doc = gateway_doc
        self.clock = clock
        self._doc: bytes | None = None
        self._until = 0.0
        self._lock = asyncio.Lock()

    async def _fetch(self, area: str) -> dict | None:
        # A generous deadline: a service builds its document on first request, slowly on a loaded machine,
        # and the merged result is cached.
        try:
            response = await self.client.send(self.upstreams[area], "GET", b"/openapi.json",
                                              [(b"accept", b"application/json")], None, repeatable=True, deadline=10.0)
            if response.status != 200:
                return None
            doc = orjson.loads(response.body)
        except (UpstreamUnavailable, orjson.JSONDecodeError):
            return None
        return doc if isinstance(doc, dict) and isinstance(doc.get("paths"), dict) else None

    async def document(self) -> bytes:
        if self._doc is not None and self.clock() < self._until:
            return self._doc
        async with self._lock:
            if self._doc is not None and self.clock() < self._until:
                return self._doc
            areas = list(self.upstreams)
            fetched = await asyncio.gather(*(self._fetch(a) for a in areas))
            services = dict(zip(areas, fetched, strict=True))
            self._doc = orjson.dumps(merge(self.gateway_doc(), services, self.settings))
            complete = all(d is not None for d in fetched)
            self._until = self.clock() + (self.settings.openapi_cache_seconds if complete else _RETRY_INCOMPLETE)
            return self._doc
