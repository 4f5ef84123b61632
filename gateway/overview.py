"""The district's one-screen overview (一屏统览): every area's ``/stats/overview``, fetched concurrently
within one deadline. An area that is down, slow or refuses says so; the others' figures still come back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import urlencode

import orjson

from gateway.auth.authenticator import Caller
from gateway.proxy.client import UpstreamClient, UpstreamUnavailable
from gateway.proxy.upstreams import Upstream


async def area_figures(client: UpstreamClient, upstream: Upstream, caller: Caller, target: bytes, request_id: str,
                       deadline: float) -> dict:
    headers = [(b"x-minsheng-identity", caller.identity), (b"x-request-id", request_id.encode()),
               (b"accept", b"application/json")]
    try:
        response = await asyncio.wait_for(
            client.send(upstream, "GET", target, headers, None, repeatable=True, deadline=deadline), deadline)
    except UpstreamUnavailable as exc:
        return {"status": "unavailable", "detail": exc.reason}
    except TimeoutError:
        return {"status": "unavailable", "detail": f"no answer within {deadline:g} s"}
    if response.status in (401, 403):
        return {"status": "forbidden", "detail": "your roles do not read this area's statistics"}
    try:
        payload = orjson.loads(response.body)
    except orjson.JSONDecodeError:
        payload = None
    if response.status != 200 or not isinstance(payload, dict):
        detail = payload.get("detail") if isinstance(payload, dict) else None
        return {"status": "error", "http_status": response.status, "detail": detail or "unexpected answer"}
    return {"status": "ok", "generated_at": payload.get("generated_at"), "figures": payload.get("figures", {}),
            **{k: v for k, v in payload.items() if k not in ("area", "generated_at", "figures")}}


async def compose(*, client: UpstreamClient, upstreams: dict[str, Upstream], caller: Caller, year: int | None,
                  street_code: str | None, request_id: str, deadline: float) -> dict:
    query = urlencode({k: v for k, v in (("year", year), ("street_code", street_code)) if v is not None})
    target = ("/stats/overview" + (f"?{query}" if query else "")).encode()
    areas = list(upstreams)
    results = await asyncio.gather(*(area_figures(client, upstreams[a], caller, target, request_id, deadline)
                                     for a in areas))
    by_area = dict(zip(areas, results, strict=True))
    return {
        "generated_at": datetime.now(UTC).isoformat(),
        "year": year,
        "street_code": street_code,
        "complete": all(r["status"] == "ok" for r in results),
        "unavailable": [a for a, r in by_area.items() if r["status"] != "ok"],
        "areas": by_area,
    }
