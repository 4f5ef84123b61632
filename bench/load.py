"""Load: an open-loop generator through the gateway, a mixed read/write workload at rising rates.

Open loop: request i is due at t0 + i/rate whatever happened to the earlier ones, and its latency is counted
from that due time, so a slow platform cannot slow the generator down and hide its own queueing (coordinated
omission). Each step runs ``seconds``; the knee is the highest step whose p99 stays ≤ 250 ms (a step over it
is run once more before the search ends). Then 2x the knee:
useful throughput (2xx per second) against the knee's, and how the excess was refused (429/503) or not.

Workload (share of requests): staff reads of a seekers page (25 %), matching for a seeker (10 %), a patient's
readings (20 %), alerts (15 %), one area's figures (5 %); writes (25 %): a blood-pressure reading posted by the
patients' family doctor (use case, outbox event and counters in one transaction).
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections import Counter
from datetime import UTC, datetime

import aiohttp

from bench.platform import user_token

P99_LIMIT_MS = 250.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class Workload:
    def __init__(self, base: str, *, seekers: list[str], patients: list[str]):
        self.base, self.seekers, self.patients = base, seekers, patients
        self.tokens = {role: [f"Bearer {user_token(subject, [role])}" for subject in subjects] for role, subjects in {
            "jobs": [f"bench-jobs-{i}" for i in range(8)], "doctor": ["bench-doctor"],
            "community": [f"bench-community-{i}" for i in range(8)],
            "auditor": [f"bench-auditor-{i}" for i in range(4)]}.items()}
        self.rng = random.Random(10)
        self.kinds = ["seekers", "matches", "readings", "alerts", "stats", "write"]
        self.weights = [25, 10, 20, 15, 5, 25]

    def next(self) -> tuple[str, str, str, str, dict | None]:
        kind = self.rng.choices(self.kinds, self.weights)[0]
        pick = self.rng.choice
        if kind == "seekers":
            return kind, "GET", "/api/v1/jobs/seekers?limit=10", pick(self.tokens["jobs"]), None
        if kind == "matches":
            return kind, "GET", f"/api/v1/jobs/seekers/{pick(self.seekers)}/matches", pick(self.tokens["jobs"]), None
        if kind == "readings":
            return (kind, "GET", f"/api/v1/chronic-care/readings?limit=10&patient_id={pick(self.patients)}",
                    pick(self.tokens["doctor"]), None)
        if kind == "alerts":
            return kind, "GET", "/api/v1/community/alerts?limit=10", pick(self.tokens["community"]), None
        if kind == "stats":
            area = pick(["jobs", "community", "chronic-care", "renovation"])
            return kind, "GET", f"/api/v1/{area}/stats/overview", pick(self.tokens["auditor"]), None
        body = {"patient_id": pick(self.patients), "measure": "blood_pressure",
                "systolic": self.rng.randint(105, 165), "diastolic": self.rng.randint(65, 100),
                "pulse": self.rng.randint(55, 95), "measured_at": datetime.now(UTC).isoformat()}
        return kind, "POST", "/api/v1/chronic-care/readings", pick(self.tokens["doctor"]), body


async def step(workload: Workload, rate: float, seconds: float, *, timeout: float = 10.0) -> dict:
    """One open-loop step at ``rate`` requests/s; latency from each request's due time."""
    n = int(rate * seconds)
    latencies: list[float] = []
    ok_latencies: list[float] = []
    statuses: Counter = Counter()
    by_kind: dict[str, list[float]] = {}
    connector = aiohttp.TCPConnector(limit=512, force_close=False)
    async with aiohttp.ClientSession(workload.base, connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=timeout)) as session:

        async def one(due: float, request) -> None:
            kind, method, path, token, body = request
            headers = {"authorization": token}
            if body is not None:
                headers["idempotency-key"] = uuid.uuid4().hex
            try:
                async with session.request(method, path, json=body, headers=headers) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError):
                status = 0  # timed out or connection refused/reset: not useful
            elapsed = (time.perf_counter() - due) * 1000
            statuses[status] += 1
            latencies.append(elapsed)
            if 200 <= status < 300:
                ok_latencies.append(elapsed)
                by_kind.setdefault(kind, []).append(elapsed)

        start = time.perf_counter() + 0.05
        tasks = []
        for i in range(n):
            due = start + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(due, workload.next())))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - start
    ok = sum(v for s, v in statuses.items() if 200 <= s < 300)
    return {
        "rate": rate, "sent": n, "seconds": round(elapsed, 2),
        "useful_per_s": round(ok / seconds, 1),  # 2xx per second of offered load
        "p50_ms": round(percentile(latencies, 0.5), 1), "p99_ms": round(percentile(latencies, 0.99), 1),
        "ok_p99_ms": round(percentile(ok_latencies, 0.99), 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p99_by_kind_ms": {k: round(percentile(v, 0.99), 1) for k, v in sorted(by_kind.items())},
    }


async def find_knee(workload: Workload, rates: list[float], seconds: float, log) -> tuple[float, list[dict]]:
    steps, knee = [], 0.0
    await step(workload, rates[0], 4)  # warm-up, not counted: pools, caches, first-request imports
    await asyncio.sleep(1)
    for rate in rates:
        # A step over the limit is run once more before the search ends: on a shared machine one noisy
        # second can put a single step's p99 over while the next rate passes (both runs are kept).
        for _attempt in range(2):
            result = await step(workload, rate, seconds)
            steps.append(result)
            log(f"load {rate}/s: p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, {result['statuses']}")
            await asyncio.sleep(2)  # let queues drain between steps
            if within_limits(result):
                break
        else:
            break
        knee = rate
    return knee, steps


def within_limits(result: dict) -> bool:
    errors = sum(v for s, v in result["statuses"].items() if not s.startswith("2"))
    return result["p99_ms"] <= P99_LIMIT_MS and errors <= 0.01 * result["sent"]
