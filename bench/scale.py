"""Data at scale: what reads cost on the generated data, each as a ratio to a baseline of the same run.

- list pages by cursor: page 10,000 (limit 10, i.e. after 99,990 rows) ÷ page 1 of the same list;
- matching for one seeker: p50 over different seekers (÷ the jobs service's trivial GET /healthz);
- each area's GET /stats/overview p50 (÷ its trivial GET);
- the gateway's /api/v1/dashboard/overview p50 ÷ the slowest area's /stats/overview p50.
Requests go to the services directly with the identity token the gateway would mint (the overview through the
gateway, with a user JWT), sequentially at one connection after a warm-up, so the figure is the request's own
cost rather than queueing.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

import asyncpg
import httpx

from bench.datagen import asyncpg_dsn
from bench.platform import SERVICES, Platform, user_token
from shared.auth import Principal, issue_internal_token
from shared.pagination import encode_cursor
from shared.settings import DEV_INTERNAL_TOKEN_SECRET

PAGE, DEPTH = 10, 10_000
# (service, path, table, sort column, role of the reader)
LISTS = [
    ("jobs", "/seekers", "seekers", "registered_at", "jobs"),
    ("chronic_care", "/readings", "readings", "measured_at", "doctor"),
    ("community", "/alerts", "alerts", "received_at", "community"),
]
STAFF = {"jobs": ("bench-jobs", "jobs"), "chronic_care": ("bench-doctor", "doctor"),
         "community": ("bench-community", "community"), "renovation": ("bench-renovation", "renovation")}


def identity(subject: str, *roles: str) -> dict[str, str]:
    token = issue_internal_token(Principal(subject, frozenset(roles)), DEV_INTERNAL_TOKEN_SECRET, ttl=7200)
    return {"x-minsheng-identity": token}


async def p50_ms(client: httpx.AsyncClient, url: str | list[str], headers: dict, *, n: int = 40,
                 warmup: int = 5) -> dict:
    urls = url if isinstance(url, list) else [url]
    times = []
    for i in range(warmup + n):
        started = time.perf_counter()
        response = await client.get(urls[i % len(urls)], headers=headers)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"GET {urls[i % len(urls)]} -> {response.status_code}: {response.text[:300]}")
        if i >= warmup:
            times.append(elapsed)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p90_ms": round(times[int(0.9 * len(times))], 2),
            "n": n}


async def deep_cursor(url: str, table: str, sort: str) -> str:
    """The cursor the API hands out after page DEPTH-1: the last row of that page in the list's own order."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        row = await conn.fetchrow(f"SELECT {sort} AS s, id FROM {table} ORDER BY {sort} DESC, id DESC "
                                  f"OFFSET {PAGE * (DEPTH - 1) - 1} LIMIT 1")
    finally:
        await conn.close()
    return encode_cursor(row["s"].astimezone(UTC), row["id"])


async def active_seekers(url: str, n: int) -> list[str]:
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        rows = await conn.fetch("SELECT id FROM seekers WHERE stage IN ('registered','in_service') "
                                "ORDER BY person_ref LIMIT $1", n)
    finally:
        await conn.close()
    return [str(r["id"]) for r in rows]


async def measure(platform: Platform, urls: dict[str, str]) -> dict:
    year = datetime.now(UTC).year
    result: dict = {"baseline_healthz": {}, "lists": {}, "stats": {}}
    async with httpx.AsyncClient(timeout=30) as client:
        for service in SERVICES:
            result["baseline_healthz"][service] = await p50_ms(client, f"{platform.base(service)}/healthz", {})
        for service, path, table, sort, role in LISTS:
            headers = identity(STAFF[service][0], role)
            base = f"{platform.base(service)}{path}?limit={PAGE}"
            first = await p50_ms(client, base, headers)
            deep = await p50_ms(client, f"{base}&cursor={await deep_cursor(urls[service], table, sort)}", headers)
            result["lists"][f"{service} {path}"] = {
                "page_1": first, f"page_{DEPTH}": deep, "ratio": round(deep["p50_ms"] / first["p50_ms"], 2)}
        seekers = await active_seekers(urls["jobs"], 60)
        matching = await p50_ms(client, [f"{platform.base('jobs')}/seekers/{s}/matches" for s in seekers],
                                identity("bench-jobs", "jobs"), n=60, warmup=3)
        result["matching"] = {**matching, "x_healthz": round(
            matching["p50_ms"] / result["baseline_healthz"]["jobs"]["p50_ms"], 1)}
        for service in SERVICES:
            url = f"{platform.base(service)}/stats/overview?year={year}"
            figures = await p50_ms(client, url, identity("bench-auditor", "auditor"))
            result["stats"][service] = {**figures, "x_healthz": round(
                figures["p50_ms"] / result["baseline_healthz"][service]["p50_ms"], 1)}
        slowest = max(result["stats"], key=lambda s: result["stats"][s]["p50_ms"])
        bearer = {"authorization": f"Bearer {user_token('bench-auditor', ['auditor'])}"}
        overview = await p50_ms(client, f"{platform.base('gateway')}/api/v1/dashboard/overview?year={year}", bearer)
        result["overview"] = {**overview, "slowest_area": slowest, "ratio_to_slowest": round(
            overview["p50_ms"] / result["stats"][slowest]["p50_ms"], 2)}
    result["goals"] = {
        "deep_page_le_1_5x": all(v["ratio"] <= 1.5 for v in result["lists"].values()),
        "matching_p50_le_50ms": result["matching"]["p50_ms"] <= 50,
        "stats_p50_le_100ms": all(v["p50_ms"] <= 100 for v in result["stats"].values()),
        "overview_le_1_3x_slowest": result["overview"]["ratio_to_slowest"] <= 1.3,
    }
    return result
