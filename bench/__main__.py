"""``make bench`` / ``python -m bench``: every benchmark in one run, results to var/bench/*.json and
docs/benchmarks.md (command, date, machine, raw numbers, each figure as a ratio to a baseline of the run).

    python -m bench [--only gateway,events,scale,load] [--step-seconds 10] [--keep] [--report PATH]

Parts: the gateway hop (``python -m bench.gateway``) and events (``python -m bench.events``) in their own
processes; then data at scale (generated on PostgreSQL), the load run through the gateway and the peak RSS of
each process during it, against one platform started here (four services + gateway, RabbitMQ events).
Never part of ``make test``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bench import datagen, load, machine, report, scale
from bench.platform import SERVICES, Platform
from gateway.migrate import upgrade as migrate_gateway
from gateway.settings import Settings as GatewaySettings
from shared.events.topology import SUBSCRIPTIONS
from shared.testing import DatabaseTemplates, delete_broker_objects, pg_url

RESULTS = Path("var/bench")
PARTS = ("gateway", "events", "scale", "load")


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def run_module(module: str, *args: str) -> dict:
    log(f"python -m {module} {' '.join(args)}")
    subprocess.run([sys.executable, "-m", module, *args], check=True, stdout=subprocess.DEVNULL)
    return json.loads((RESULTS / f"{module.split('.')[-1]}.json").read_text())


async def platform_parts(args, results: dict) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="ms-bench-"))
    templates = DatabaseTemplates(workdir)
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    urls = {s: pg_url(await templates.new_pg_database(s)) for s in SERVICES}
    urls["gateway"] = f"sqlite+aiosqlite:///{workdir}/gateway.db"
    await asyncio.to_thread(migrate_gateway, urls["gateway"])
    log("generating data at scale (jobs, chronic care, community in parallel)")
    started = time.perf_counter()
    timings = await asyncio.gather(*(datagen.generate(s, urls[s]) for s in ("jobs", "chronic_care", "community")))
    results["generation"] = {"seconds": round(time.perf_counter() - started, 1),
                             **dict(zip(("jobs", "chronic_care", "community"), timings, strict=True))}
    log(f"generated: {results['generation']}")
    gateway_env = {"GATEWAY_RATE_LIMIT_IP": "", "GATEWAY_RATE_LIMIT_USER": "100000000/minute"}
    platform = Platform(urls, workdir, event_prefix=prefix, gateway_env=gateway_env,
                        gateway_args=["--limit-concurrency", str(args.limit_concurrency)]
                        if args.limit_concurrency else [])
    try:
        platform.start()
        log(f"platform up: {platform.ports}")
        if "scale" in args.only:
            results["scale"] = await scale.measure(platform, urls)
            log(f"scale: {json.dumps(results['scale']['goals'])}")
        if "load" in args.only:
            results["load"] = await load_run(platform, urls, args)
    finally:
        platform.stop()
        await delete_broker_objects(prefix, SUBSCRIPTIONS)
        if not args.keep:
            await templates.cleanup()
        else:
            log(f"kept databases: {urls}")


async def load_run(platform: Platform, urls: dict[str, str], args) -> dict:
    seekers = await scale.active_seekers(urls["jobs"], 500)
    conn = await asyncpg.connect(datagen.asyncpg_dsn(urls["chronic_care"]))
    try:
        patients = [str(r["id"]) for r in await conn.fetch("SELECT id FROM patients ORDER BY person_ref LIMIT 500")]
    finally:
        await conn.close()
    workload = load.Workload(platform.base("gateway"), seekers=seekers, patients=patients)
    rss_before = platform.rss_mb()
    with platform.sample_peaks() as peaks:
        knee, steps = await load.find_knee(workload, args.rates, args.step_seconds, log)
        # Without a knee (p99 over the limit from the lowest rate) the lowest rate stands in, said in the report.
        reference = knee or args.rates[0]
        await asyncio.sleep(3)
        overload = await load.step(workload, 2 * reference, args.step_seconds)
        log(f"load 2x {reference}/s: {overload['useful_per_s']}/s useful, {overload['statuses']}")
    # Far past the knee: as deployed (the gateway's admission limit per area) and without it, to see whether
    # the excess is refused at once (503) or queued until everything is late.
    far, far_peaks = {}, {}
    if args.far_factor:
        await far_steps(platform, workload, reference, args, far, far_peaks)
    knee_step = next((s for s in reversed(steps) if s["rate"] == reference), None)  # the passing run
    result = {"knee_rps": knee, "reference_rps": reference, "steps": steps, "overload": overload,
              "far_past_knee": {"factor": args.far_factor, "admission": admission_defaults(), **far},
              "gateway_limit_concurrency": args.limit_concurrency,
              "rss_mb_before": {k: round(v, 1) for k, v in rss_before.items()},
              "peak_rss_mb": {k: round(v / 1024, 1) for k, v in peaks.items()},
              "peak_rss_mb_far": {step: {k: round(v / 1024, 1) for k, v in peaks.items()}
                                  for step, peaks in far_peaks.items()}}
    if knee_step and overload:
        result["useful_ratio_at_2x"] = round(overload["useful_per_s"] / knee_step["useful_per_s"], 2)
    result["goals"] = {
        "useful_at_2x_ge_0_9": result.get("useful_ratio_at_2x", 0) >= 0.9,
        "peak_rss_le_150mb": all(v <= 150 for v in result["peak_rss_mb"].values()),
    }
    return result


def admission_defaults() -> str:
    f = GatewaySettings.model_fields
    return (f"{f['max_in_flight'].default} in flight per area, then up to {f['admission_queue'].default} waiting "
            f"≤ {f['admission_wait_ms'].default:g} ms")


async def far_steps(platform: Platform, workload: load.Workload, reference: float, args, far: dict,
                    peaks: dict) -> None:
    """Both far steps, each with its own peak RSS (the gateway without admission holds every waiting request)."""
    rate = args.far_factor * reference
    await asyncio.sleep(3)
    with platform.sample_peaks() as peaks["as_deployed"]:
        far["as_deployed"] = await load.step(workload, rate, args.step_seconds)
    log(f"load {args.far_factor}x as deployed: {far['as_deployed']['useful_per_s']}/s useful, "
        f"p50 {far['as_deployed']['p50_ms']} ms, {far['as_deployed']['statuses']}")
    # The same gateway without admission (queueing until the upstream timeout): what the limit buys.
    platform.restart_gateway(platform.gateway_args, {"GATEWAY_MAX_IN_FLIGHT": "0"})
    await load.step(workload, reference, 3)  # warm the new gateway's pools
    await asyncio.sleep(3)
    with platform.sample_peaks() as peaks["no_admission"]:
        far["no_admission"] = await load.step(workload, rate, args.step_seconds)
    log(f"load {args.far_factor}x without admission: {far['no_admission']['useful_per_s']}/s useful, "
        f"p50 {far['no_admission']['p50_ms']} ms, {far['no_admission']['statuses']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(PARTS), type=lambda s: set(s.split(",")))
    parser.add_argument("--step-seconds", type=float, default=10.0)
    parser.add_argument("--rates", type=lambda s: [float(r) for r in s.split(",")],
                        default=[5, 10, 15, 20, 30, 40, 60, 80, 100, 130, 160, 200, 250, 300])
    # uvicorn's own admission limit on the gateway: beyond it new work gets 503 at once instead of queueing.
    parser.add_argument("--limit-concurrency", type=int, default=0)
    parser.add_argument("--far-factor", type=float, default=6.0, help="the extra step at this multiple (0: skip)")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument("--report", type=Path, default=Path("docs/benchmarks.md"),
                        help="the Markdown file whose generated section is replaced (docs/benchmarks.md)")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict = {"command": "python -m bench " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
                     "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine.describe(),
                     "load_average_start": machine.load_average()}
    if "gateway" in args.only:
        results["gateway"] = run_module("bench.gateway")
    if "events" in args.only:
        results["events"] = run_module("bench.events")
    if args.only & {"scale", "load"}:
        asyncio.run(platform_parts(args, results))
    results["load_average_end"] = machine.load_average()
    (RESULTS / "all.json").write_text(json.dumps(results, indent=2, default=str))
    report.write(results, args.report)
    log(f"results: var/bench/all.json, {args.report}")


if __name__ == "__main__":
    main()
