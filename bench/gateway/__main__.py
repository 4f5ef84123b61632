"""Gateway hop benchmark: the gateway vs calling the service directly vs an nginx proxy, side by side in one run.

    python -m bench.gateway [--seconds 5] [--connections 32] [--rounds 3]

A trivial authenticated GET (bench/gateway/upstream.py, one uvicorn worker like a service). The gateway (one
uvicorn worker) runs with authentication (a user JWT, verified and cached) and rate limits per IP and per
user switched on, limits set high enough never to refuse. nginx proxies with a keep-alive upstream pool and
passes the identity header as is (no auth: it is the floor of what any proxy costs). Throughput with
``wrk -t1 -c<connections>``; p50 latency at one connection, gateway minus direct = the hop's added latency.
Rounds alternate the three targets so that a noisy minute affects all of them. Goals (issue 3): gateway
throughput >= 0.75x direct; the hop adds <= 1 ms at p50. Results: var/bench/gateway.json and stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from bench.machine import cpu_seconds
from gateway.auth.tokens import issue_user_token
from gateway.migrate import upgrade as migrate_gateway
from scripts.system_packages import ensure
from shared.auth import Principal, issue_internal_token
from shared.settings import DEV_INTERNAL_TOKEN_SECRET, DEV_JWT_SECRET
from shared.testing_servers import free_port

RESULTS = Path("var/bench/gateway.json")
ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
    upstream service {{ server 127.0.0.1:{upstream}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location /api/v1/jobs/ {{
            proxy_pass http://service/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


def wait_http(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (our own local URL)
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer 200 within {timeout}s")


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env}, stdout=open(log, "ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def uvicorn(target: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port", str(port),
            "--no-access-log", "--loop", "uvloop", "--http", "httptools", "--log-level", "warning"]


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def wrk(url: str, header: str, *, connections: int, seconds: int, pids: dict[str, list[int]]) -> dict:
    before = {name: sum(map(cpu_seconds, p)) for name, p in pids.items()}
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "-H", header, url],
                         capture_output=True, text=True, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    cpu_us = {name: round((sum(map(cpu_seconds, p)) - before[name]) / max(requests, 1) * 1e6, 1)
              for name, p in pids.items()}
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p50.group(2)]
    return {"rps": rate, "p50_ms": float(p50.group(1)) * scale, "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(0) if errors else None, "cpu_us_per_request": cpu_us}


def nginx_pids(master: int) -> list[int]:
    """The nginx master and its worker (the worker does the proxying)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    found = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [master, *found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ensure("bench")  # wrk and nginx from Debian's packages when missing
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="ms-bench-gw-"))
    ports = {"upstream": free_port(), "gateway": free_port(), "nginx": free_port()}
    db = f"sqlite+aiosqlite:///{workdir}/gateway.db"
    migrate_gateway(db)
    common = {"MINSHENG_LOG_LEVEL": "INFO", "MINSHENG_LOG_JSON": "true", "MINSHENG_EVENT_BUS": "memory"}
    gateway_env = {**common, "GATEWAY_DATABASE_URL": db, "GATEWAY_UPSTREAM_JOBS": f"http://127.0.0.1:{ports['upstream']}",
                   "GATEWAY_UPSTREAM_RENOVATION": "", "GATEWAY_UPSTREAM_COMMUNITY": "",
                   "GATEWAY_UPSTREAM_CHRONIC_CARE": "",
                   # On, and high enough never to refuse: the cost is measured, not the refusals.
                   "GATEWAY_RATE_LIMIT_IP": "100000000/minute", "GATEWAY_RATE_LIMIT_USER": "100000000/minute",
                   # The admission limit likewise: on, above wrk's connections (its 503s are not a hop's cost).
                   "GATEWAY_MAX_IN_FLIGHT": "64"}
    (workdir / "nginx.conf").write_text(NGINX_CONF.format(dir=workdir, upstream=ports["upstream"],
                                                          port=ports["nginx"]))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    processes = [
        start(uvicorn("bench.gateway.upstream:create_app", ports["upstream"]), common, workdir / "upstream.log"),
        start(uvicorn("gateway.app:create_app", ports["gateway"]), gateway_env, workdir / "gateway.log"),
        start([nginx, "-c", str(workdir / "nginx.conf"), "-p", str(workdir)], {}, workdir / "nginx.log"),
    ]
    user = issue_user_token(subject="bench", roles=["jobs"], person_ref=None, street_code=None, secret=DEV_JWT_SECRET,
                            issuer="minsheng-gateway", audience="minsheng-api", minutes=120)
    identity = issue_internal_token(Principal("bench", frozenset({"jobs"})), DEV_INTERNAL_TOKEN_SECRET, ttl=7200)
    targets = {
        "direct": (f"http://127.0.0.1:{ports['upstream']}/ping", f"X-Minsheng-Identity: {identity}"),
        "gateway": (f"http://127.0.0.1:{ports['gateway']}/api/v1/jobs/ping", f"Authorization: Bearer {user.token}"),
        "nginx": (f"http://127.0.0.1:{ports['nginx']}/api/v1/jobs/ping", f"X-Minsheng-Identity: {identity}"),
    }
    pids = {"upstream": [processes[0].pid], "gateway": [processes[1].pid], "nginx": nginx_pids(processes[2].pid)}
    try:
        for url, header in targets.values():
            key, _, value = header.partition(": ")
            wait_http(url, {key: value})
            wrk(url, header, connections=4, seconds=1, pids=pids)  # warm the pools and caches
        pids["nginx"] = nginx_pids(processes[2].pid)
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        single: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (url, header) in targets.items():
                runs[name].append(wrk(url, header, connections=args.connections, seconds=args.seconds, pids=pids))
            for name, (url, header) in targets.items():
                single[name].append(wrk(url, header, connections=1, seconds=args.seconds, pids=pids))
    finally:
        for process in processes:
            stop(process)
    rps = {name: statistics.median(r["rps"] for r in rs) for name, rs in runs.items()}
    p50 = {name: statistics.median(r["p50_ms"] for r in rs) for name, rs in single.items()}
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.node()} {os.cpu_count()} cores {platform.processor() or platform.machine()}",
        # Other work on the machine skews every figure; the ratios less than the absolute numbers.
        "load_average_before_after": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "command": f"python -m bench.gateway --seconds {args.seconds} --connections {args.connections} "
                   f"--rounds {args.rounds}",
        "throughput_rps": rps,
        "ratio_to_direct": {name: round(rps[name] / rps["direct"], 3) for name in rps},
        "p50_ms_one_connection": p50,
        # CPU per request of each process during the throughput runs of each target (robust to other load).
        "cpu_us_per_request": {name: {proc: statistics.median(r["cpu_us_per_request"][proc] for r in rs)
                                      for proc in pids} for name, rs in runs.items()},
        "added_p50_ms": {"gateway": round(p50["gateway"] - p50["direct"], 3),
                         "nginx": round(p50["nginx"] - p50["direct"], 3)},
        "non_2xx": {name: sum(r["non_2xx"] for r in rs + single[name]) for name, rs in runs.items()},
        "raw": {"throughput": runs, "one_connection": single},
        "goals": {"gateway_ratio_min": 0.75, "added_p50_ms_max": 1.0},
    }
    result["goals_met"] = (result["ratio_to_direct"]["gateway"] >= 0.75 and result["added_p50_ms"]["gateway"] <= 1.0
                           and result["non_2xx"]["gateway"] == 0)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "raw"}, indent=2))
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
