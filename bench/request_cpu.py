"""CPU time one server process spends on each call, measured in-process (no HTTP, no client).

Throughput on a 2-core machine is bounded by the CPU each request costs, and a wall-clock
figure on a shared machine mostly measures the other jobs. The process's own CPU time
(`time.process_time`) over many calls is steadier: it leaves out waiting for PostgreSQL and for
the CPU, and counts everything the Python side does (middleware, DRF, the ORM, psycopg, JSON).
Calls go through Django's test client against a seeded bench database, with the `make run`
defaults except rate limits; create and classify send one text, so triage answers from its
cache after the first call (the model's own cost: `bench/triage_http.py`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/triagedesk_bench_1m \\
        .venv/bin/python bench/request_cpu.py [--calls 300] [--only list,stats]

Prints, per call, the median and the lowest of three rounds of `--calls / 3` calls (ms of CPU
per call); `--json FILE` keeps them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("RATE_LIMIT_CREATE", "off")
os.environ.setdefault("RATE_LIMIT_CLASSIFY", "off")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

BODY = (
    '{"title": "Charged twice this month", '
    '"description": "My card was charged twice for invoice 77, please refund one."}'
)


def calls(client: Client) -> dict[str, Callable[[], Any]]:
    def post(path: str) -> Callable[[], Any]:
        return lambda: client.post(path, BODY, content_type="application/json")

    return {
        "health": lambda: client.get("/api/health/"),
        "list": lambda: client.get("/api/tickets/"),
        "list status=open": lambda: client.get("/api/tickets/?status=open"),
        "stats": lambda: client.get("/api/tickets/stats/"),
        "create": post("/api/tickets/"),
        "classify": post("/api/tickets/classify/"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--only", default="", help="comma-separated call names")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    table = calls(client)
    names = args.only.split(",") if args.only else list(table)
    per_round = max(1, args.calls // 3)
    figures: dict[str, dict[str, float]] = {}
    for name in names:
        call = table[name]
        for _ in range(20):  # warm up: caches, prepared model, pool connections
            response = call()
            if response.status_code >= 300:
                raise SystemExit(f"{name}: {response.status_code} {response.content[:200]!r}")
        rounds = []
        for _ in range(3):
            started = time.process_time()
            for _ in range(per_round):
                call()
            rounds.append((time.process_time() - started) * 1000 / per_round)
        figures[name] = {"median_ms": statistics.median(rounds), "min_ms": min(rounds)}
        print(
            f"{name:<18} CPU per call: median {statistics.median(rounds):6.2f} ms, "
            f"lowest {min(rounds):6.2f} ms",
            flush=True,
        )
    if args.json:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        args.json.write_text(json.dumps({"load": load, "figures": figures}, indent=2))


if __name__ == "__main__":
    main()
