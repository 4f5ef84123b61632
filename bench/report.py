"""docs/benchmarks.md: the run's results as one generated section (between markers), replaced on each run;
the hand-written sections around it (the gateway hop's set-up and history) are kept as they are."""

from __future__ import annotations

import json
from pathlib import Path

BEGIN, END = "<!-- bench:begin (written by python -m bench) -->", "<!-- bench:end -->"


def _ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def _proxy_cpu(g: dict, target: str) -> str:
    return "—" if target == "direct" else f"{g['cpu_us_per_request'][target].get(target, 0):.0f}"


def _gateway(g: dict) -> list[str]:
    r = g["ratio_to_direct"]
    return [
        "### Gateway hop", "",
        "| target | req/s (c32) | × direct | p50 at c1 | CPU µs/request (service / proxy) |", "|---|---|---|---|---|",
        *[f"| {t} | {g['throughput_rps'][t]:,.1f} | {r[t]:.2f} | {g['p50_ms_one_connection'][t]:.3f} ms | "
          f"{g['cpu_us_per_request'][t].get('upstream', 0):.0f} / {_proxy_cpu(g, t)} |"
          for t in ("direct", "gateway", "nginx") if t in g["throughput_rps"]],
        "", f"Added p50 at one connection: gateway +{g['added_p50_ms']['gateway']:.2f} ms, nginx "
        f"+{g['added_p50_ms']['nginx']:.2f} ms. Goals (≥ 0.75× direct, ≤ 1 ms added): {_ok(g['goals_met'])}. "
        f"Load average during this part {g['load_average_before_after']}.", ""]


def _events(e: dict) -> list[str]:
    rows = [("bare aio-pika, throughput", e["bare_throughput"]), ("outbox → inbox, throughput", e["outbox_throughput"]),
            ("bare aio-pika, 200/s", e["bare_at_rate"]), ("outbox → inbox, 200/s", e["outbox_at_rate"])]
    g = e["goals"]
    return [
        "### Events (outbox → RabbitMQ → inbox → effect, PostgreSQL)", "",
        "| path | events | events/s | p50 | p99 |", "|---|---|---|---|---|",
        *[f"| {name} | {r['events']} | {r['rate']:,.0f} | {r['p50_ms']:.1f} ms | {r['p99_ms']:.1f} ms |"
          for name, r in rows],
        "", *([f"Throughput rounds, alternating (events/s; the median round is in the table): bare "
               f"{', '.join(map(str, e['throughput_rounds']['bare']))}; outbox "
               f"{', '.join(map(str, e['throughput_rounds']['outbox']))}.", ""] if "throughput_rounds" in e else []),
        f"Outbox ÷ bare throughput: **{e['ratio_outbox_to_bare']:.2f}** (goal ≥ 0.3: {_ok(g['ratio_ge_0_3'])}). "
        f"Sustained ≥ 1,000/s: {_ok(g['outbox_rate_ge_1000'])}; at 200/s p50 ≤ 10 ms: "
        f"{_ok(g['p50_le_10ms_at_200'])}, p99 ≤ 50 ms: {_ok(g['p99_le_50ms_at_200'])}.", ""]


def _scale(s: dict, gen: dict) -> list[str]:
    out = ["### Data at scale (PostgreSQL, generated in the run)", "",
           f"Generated in {gen['seconds']} s, the three areas in parallel (INSERT … SELECT generate_series, then "
           f"each service's running-total rebuild): " + "; ".join(
               f"{k} {v['generate_s']} s + rebuild {v['rebuild_s']} s" for k, v in gen.items() if k != "seconds")
           + ".", "",
           "| list (limit 10) | page 1 p50 | page 10,000 p50 | ratio (goal ≤ 1.5) |", "|---|---|---|---|"]
    out += [f"| {name} | {v['page_1']['p50_ms']} ms | {v['page_10000']['p50_ms']} ms | **{v['ratio']}** |"
            for name, v in s["lists"].items()]
    m = s["matching"]
    out += ["", f"Matching, vacancies for one seeker (60 different seekers): p50 **{m['p50_ms']} ms**, p90 "
            f"{m['p90_ms']} ms = {m['x_healthz']}× the jobs service's trivial GET (goal p50 ≤ 50 ms: "
            f"{_ok(s['goals']['matching_p50_le_50ms'])}).", "",
            "| area | /stats/overview p50 | p90 | × its /healthz | /healthz p50 |", "|---|---|---|---|---|"]
    out += [f"| {a} | **{v['p50_ms']} ms** | {v['p90_ms']} ms | {v['x_healthz']} | "
            f"{s['baseline_healthz'][a]['p50_ms']} ms |" for a, v in s["stats"].items()]
    o = s["overview"]
    out += ["", f"Gateway `/api/v1/dashboard/overview` p50 **{o['p50_ms']} ms** = **{o['ratio_to_slowest']}×** the "
            f"slowest area ({o['slowest_area']}) (goal ≤ 1.3×: {_ok(s['goals']['overview_le_1_3x_slowest'])}); "
            f"the areas' p50s add up to {sum(v['p50_ms'] for v in s['stats'].values()):.1f} ms. "
            f"Each area ≤ 100 ms: {_ok(s['goals']['stats_p50_le_100ms'])}.", ""]
    if "cpu_ms_per_request" in s:
        out += _cpu_per_request(s["cpu_ms_per_request"], o)
    return out


def _cpu_per_request(cpu: dict[str, dict[str, float]], overview: dict) -> list[str]:
    processes = list(next(iter(cpu.values())))
    out = ["CPU per request (ms, from /proc, one request at a time), by process:", "",
           "| request | " + " | ".join(processes) + " | total |", "|---|" + "---|" * (len(processes) + 1)]
    out += [f"| {name} | " + " | ".join(f"{v[p]:.2f}" for p in processes) + f" | **{sum(v.values()):.2f}** |"
            for name, v in cpu.items()]
    out += ["", f"The overview costs {sum(cpu['overview'].values()):.1f} ms of CPU per request; spread over this "
            f"machine's cores that is at least **{overview['cpu_floor_ms']} ms** of latency, "
            f"**{overview['cpu_floor_ratio_to_slowest']}×** the slowest area, however concurrent the fan-out.", ""]
    return out


def _load(ld: dict) -> list[str]:
    out = ["### Load through the gateway (open loop, mixed read/write)", "",
           "| offered/s | useful (2xx)/s | p50 | p99 | statuses | slowest kind (p99) |", "|---|---|---|---|---|---|"]
    steps = ld["steps"] + ([ld["overload"]] if ld.get("overload") else [])
    out += [f"| {s['rate']:g} | {s['useful_per_s']} | {s['p50_ms']} ms | {s['p99_ms']} ms | "
            f"{', '.join(f'{k}: {v}' for k, v in s['statuses'].items())} | {_slowest(s)} |" for s in steps]
    knee = (f"**{ld['knee_rps']:g} requests/s**." if ld["knee_rps"] else "**none** — p99 passed 250 ms from the "
            f"lowest rate, {ld['reference_rps']:g}/s, which stands in for the knee below.")
    out += ["", f"Knee (highest rate with p99 ≤ 250 ms and < 1 % errors): {knee}"]
    if ld.get("overload"):
        out += [f"At 2× that rate: useful throughput **{ld.get('useful_ratio_at_2x')}×** the knee's (goal ≥ 0.9: "
                f"{_ok(ld['goals']['useful_at_2x_ge_0_9'])}); statuses {ld['overload']['statuses']} "
                "(0 = client timeout after 10 s or refused connection)."]
    far = ld.get("far_past_knee") or {}
    if far.get("as_deployed"):
        out += ["", f"Far past the knee ({far['factor']:g}× = {far['as_deployed']['rate']:g}/s offered), the gateway "
                f"as deployed (admission: {far.get('admission')}) vs restarted without it (services "
                "unchanged):", "", "| gateway | useful (2xx)/s | p50 | p99 of 2xx | statuses |",
                "|---|---|---|---|---|"]
        out += [f"| {name.replace('_', ' ')} | {r['useful_per_s']} | {r['p50_ms']} ms | {r['ok_p99_ms']} ms | "
                f"{', '.join(f'{k}: {v}' for k, v in r['statuses'].items())} |"
                for name, r in far.items() if isinstance(r, dict)]
    out += ["", "### Memory: peak RSS per process during the load run", "",
            "| process | before load | peak during load (goal ≤ 150 MB) |", "|---|---|---|"]
    out += [f"| {p} | {ld['rss_mb_before'][p]} MB | **{v} MB** |" for p, v in ld["peak_rss_mb"].items()]
    for step, peaks in (ld.get("peak_rss_mb_far") or {}).items():
        out += ["", f"Peak RSS during the far-past-the-knee step, {step.replace('_', ' ')}: " + ", ".join(
            f"{p} {v} MB" for p, v in peaks.items()) + "."]
    out += ["", f"All ≤ 150 MB during the load run: {_ok(ld['goals']['peak_rss_le_150mb'])}.", ""]
    return out


def _slowest(step: dict) -> str:
    kinds = step.get("p99_by_kind_ms") or {}
    if not kinds:
        return "—"
    kind = max(kinds, key=kinds.get)
    return f"{kind} {kinds[kind]} ms"


def write(results: dict, path: Path) -> None:
    m = results["machine"]
    body = [BEGIN, "", f"## Last full run — {results['date']}", "",
            f"**Command**: `make bench` (= `{results['command'].strip()}`). **Machine**: {m['nproc']} cores, "
            f"{m['memory_gib']} GiB, {m['cpu']}, Linux {m['kernel']}, Python {m['python']}. Load average "
            f"(1/5/15 min) at start {results['load_average_start']}, at end {results['load_average_end']}. "
            "Raw numbers: `var/bench/all.json` (and `gateway.json`, `events.json`).", ""]
    if "gateway" in results:
        body += _gateway(results["gateway"])
    if "events" in results:
        body += _events(results["events"])
    if "scale" in results:
        body += _scale(results["scale"], results["generation"])
    if "load" in results:
        body += _load(results["load"])
    body += ["<details><summary>Raw results (JSON)</summary>", "", "```json",
             json.dumps({k: v for k, v in results.items() if k not in ("gateway",)}, indent=1, default=str),
             "```", "", "</details>", "", END]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    block = "\n".join(body)
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
