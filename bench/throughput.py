"""Throughput under the `make run` defaults: 8 concurrent clients (wrk) against the real server.

Starts uvicorn as `scripts/serve.sh` does (workers: `--workers`, default one per CPU on
PostgreSQL, the serve script's default) on a seeded bench database, then for each call runs
`wrk` (Debian package `wrk`) with `--connections` keep-alive connections for `--seconds`, and
reports requests/s, p50, p95 and p99 (bench/wrk/report.lua). Results go to
bench/results/throughput-<label>.json and, with `--section`, to RESULTS.md.

    .venv/bin/python bench/throughput.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_search_1m --label 1m-2workers
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py: the server, its environment

LUA = Path(__file__).resolve().parent / "wrk" / "report.lua"
CREATE_BODY = (
    '{"title": "Charged twice this month", '
    '"description": "My card was charged twice for invoice %d, please refund one."}'
)
CALLS = [
    # The floor: the whole stack (uvicorn, middleware, one health query) with no ticket work.
    ("health (the floor)", "/api/health/", None),
    ("list (newest 50)", "/api/tickets/", None),
    ("stats", "/api/tickets/stats/", None),
    ("create (local triage)", "/api/tickets/", CREATE_BODY),
    ("search typo (zzqqxx)", "/api/tickets/?search=zzqqxx", None),
    ("search common (refund)", "/api/tickets/?search=refund", None),
]


def split(port: str) -> list[int]:
    """How many of the open client connections each server process holds (from `ss`): uvicorn's
    workers share one listening socket, and whichever wakes first accepts, so 8 keep-alive
    connections opened at once may land 4/4 or 6/2, and throughput follows the busier one."""
    out = subprocess.run(
        ["ss", "-tnpH", "state", "established", f"( sport = :{port} )"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    pids = re.findall(r"pid=(\d+)", out)
    return sorted((pids.count(pid) for pid in set(pids)), reverse=True)


def wrk(url: str, body: str | None, seconds: int, connections: int) -> dict[str, Any]:
    env = {**os.environ, **({"WRK_BODY": body} if body else {})}
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=30s",
        f"--script={LUA}",
        url,
    ]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:
        time.sleep(seconds / 2)
        connections_per_worker = split(url.rsplit(":", 1)[1].split("/")[0])
        stdout, _ = process.communicate()
    if process.returncode:
        raise SystemExit(f"wrk failed ({process.returncode})")
    line = next(x for x in stdout.splitlines() if x.startswith("{"))
    return {**json.loads(line), "connections_per_worker": connections_per_worker}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="a seeded bench database")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--label", required=True, help="results/throughput-<label>.json")
    parser.add_argument("--only", default="", help="comma-separated parts of call names")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per call, each on new connections"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install wrk")

    info = run.run_info(args.database_url)
    env = run.server_env(args.database_url)
    # As `make serve` does: without a model the first create trains one, inside the request.
    run.manage(env, "train_triage", "--if-missing")
    figures = []
    calls = [c for c in CALLS if not args.only or any(w in c[0] for w in args.only.split(","))]
    with run.server(env, args.workers) as base_url:
        for name, path, body in [c for c in calls for _ in range(args.repeat)]:
            wrk(base_url + path, body, 3, args.connections)  # warm up every worker
            result = {"name": name, **wrk(base_url + path, body, args.seconds, args.connections)}
            print(
                f"  {name:<28} {result['rps']:7.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                f"p95 {result['p95_ms']:6.1f} ms  errors {result['errors']}  "
                f"connections per worker {result['connections_per_worker']}",
                flush=True,
            )
            figures.append(result)
    out = {
        "machine": info,
        "workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "figures": figures,
    }
    (run.RESULTS_DIR / f"throughput-{args.label}.json").write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
