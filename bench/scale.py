"""Data at scale: what reads cost on the generated data, each as a ratio to a baseline of the same run.

- list pages by cursor: page 10,000 (limit 10, i.e. after 99,990 rows) ÷ page 1 of the same list;
- matching for one seeker: p50 over different seekers (÷ the jobs service's trivial GET /healthz);
- each area's GET /stats/overview p50 (÷ its trivial GET);
- the gateway's /api/v1/dashboard/overview p50 ÷ the slowest area's /stats/overview p50, and what each of
  them costs in CPU across the processes: the overview's CPU over the machine's cores is the floor its
  latency cannot go under, however concurrent the fan-out.
Requests go to the services directly with the identity token the gateway would mint (the overview through the
gateway, with a user JWT), sequentially at one connection after a warm-up, so the figure is the request's own
cost rather than queueing.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import UTC, datetime

import asyncpg
import httpx

from bench.datagen import asyncpg_dsn
from bench.machine import cpu_seconds, postgres_cpu_seconds
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


async def interleaved(client: httpx.AsyncClient, targets: dict[str, tuple[list[str], dict]], *, n: int = 40,
                      warmup: int = 5) -> dict[str, dict]:
    """p50/p90 of each target, their requests alternating so that a noisy moment hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in targets}
    for i in range(warmup + n):
        for name, (urls, headers) in targets.items():
            url = urls[i % len(urls)]
            started = time.perf_counter()
            response = await client.get(url, headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"GET {url} -> {response.status_code}: {response.text[:300]}")
            if i >= warmup:
                times[name].append(elapsed)
    return {name: {"p50_ms": round(statistics.median(ts), 2), "p90_ms": round(sorted(ts)[int(0.9 * len(ts))], 2),
                   "n": n} for name, ts in times.items()}


async def cpu_per_request(client: httpx.AsyncClient, platform: Platform, urls: list[str], headers: dict, *,
                          n: int = 60) -> dict[str, float]:
    """CPU milliseconds per request in each platform process and in PostgreSQL (from /proc), one request at a
    time: what a request costs the machine, whatever else it waits for."""
    pids = {name: process.pid for name, process in platform.processes.items()}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()} | {"postgresql": postgres_cpu_seconds()}
    for i in range(n):
        response = await client.get(urls[i % len(urls)], headers=headers)
        response.raise_for_status()
    after = {name: cpu_seconds(pid) for name, pid in pids.items()} | {"postgresql": postgres_cpu_seconds()}
    return {name: round((after[name] - before[name]) * 1000 / n, 2) for name in after}


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
    result: dict = {"lists": {}}
    async with httpx.AsyncClient(timeout=30) as client:
        for service, path, table, sort, role in LISTS:
            headers = identity(STAFF[service][0], role)
            base = f"{platform.base(service)}{path}?limit={PAGE}"
            deep = f"{base}&cursor={await deep_cursor(urls[service], table, sort)}"
            pages = await interleaved(client, {"page_1": ([base], headers), f"page_{DEPTH}": ([deep], headers)})
            result["lists"][f"{service} {path}"] = {
                **pages, "ratio": round(pages[f"page_{DEPTH}"]["p50_ms"] / pages["page_1"]["p50_ms"], 2)}
        seekers = await active_seekers(urls["jobs"], 60)
        jobs_reader = identity("bench-jobs", "jobs")
        matching = await interleaved(client, {
            "matching": ([f"{platform.base('jobs')}/seekers/{s}/matches" for s in seekers], jobs_reader),
            "healthz": ([f"{platform.base('jobs')}/healthz"], {})}, n=60, warmup=3)
        result["matching"] = {**matching["matching"], "healthz_p50_ms": matching["healthz"]["p50_ms"],
                              "x_healthz": round(matching["matching"]["p50_ms"] / matching["healthz"]["p50_ms"], 1)}
        auditor = identity("bench-auditor", "auditor")
        bearer = {"authorization": f"Bearer {user_token('bench-auditor', ['auditor'])}"}
        targets = {s: ([f"{platform.base(s)}/stats/overview?year={year}"], auditor) for s in SERVICES}
        targets |= {f"{s} /healthz": ([f"{platform.base(s)}/healthz"], {}) for s in SERVICES}
        targets["overview"] = ([f"{platform.base('gateway')}/api/v1/dashboard/overview?year={year}"], bearer)
        figures = await interleaved(client, targets)
        result["baseline_healthz"] = {s: figures[f"{s} /healthz"] for s in SERVICES}
        result["stats"] = {s: {**figures[s], "x_healthz": round(
            figures[s]["p50_ms"] / figures[f"{s} /healthz"]["p50_ms"], 1)} for s in SERVICES}
        slowest = max(result["stats"], key=lambda s: result["stats"][s]["p50_ms"])
        result["overview"] = {**figures["overview"], "slowest_area": slowest, "ratio_to_slowest": round(
            figures["overview"]["p50_ms"] / result["stats"][slowest]["p50_ms"], 2)}
        result["cpu_ms_per_request"] = {
            name: await cpu_per_request(client, platform, *targets[name]) for name in (*SERVICES, "overview")}
        overview_cpu = sum(result["cpu_ms_per_request"]["overview"].values())
        result["overview"]["cpu_floor_ms"] = round(overview_cpu / (os.cpu_count() or 1), 2)
        result["overview"]["cpu_floor_ratio_to_slowest"] = round(
            result["overview"]["cpu_floor_ms"] / result["stats"][slowest]["p50_ms"], 2)
    result["goals"] = {
        "deep_page_le_1_5x": all(v["ratio"] <= 1.5 for v in result["lists"].values()),
        "matching_p50_le_50ms": result["matching"]["p50_ms"] <= 50,
        "stats_p50_le_100ms": all(v["p50_ms"] <= 100 for v in result["stats"].values()),
        "overview_le_1_3x_slowest": result["overview"]["ratio_to_slowest"] <= 1.3,
    }
    return result
