"""Restart PostgreSQL under a stream of ticket creations and prove no acknowledged ticket is lost.

What it does, on loopback only:

1. Creates (if needed) and migrates its own database (`triagedesk_faults` by default).
2. Starts the real server (uvicorn, the ASGI app, N workers) against it, rate limits off.
3. Runs C client threads that create tickets as fast as they can. Each ticket has a unique title
   and an `Idempotency-Key`; a request that fails (503, connection error, timeout) is retried with
   the same key and body, as the web app does, until it is acknowledged with 201.
4. Part-way through, stops PostgreSQL, keeps it down for a few seconds, and starts it again
   (`pg_ctlcluster ... stop -m fast` then `start`: sessions are cut mid-transaction).
5. Stops the clients and the server, then reads the database directly and checks that every
   ticket acknowledged with 201 is stored with its title (zero lost), that no key made two
   tickets (zero duplicates), and that the server never answered 5xx other than 503.

Exit status 0 only when all three hold. Needs root (or the postgres user) for pg_ctlcluster.

    .venv/bin/python bench/restart_loss.py                       # defaults below
    .venv/bin/python bench/restart_loss.py --clients 16 --duration 30 --down-seconds 5
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Tally:
    """What the clients saw; shared by the client threads under `lock`."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acked: dict[str, tuple[int, str]] = field(default_factory=dict)  # key -> (id, title)
    unacked: dict[str, str] = field(default_factory=dict)  # key -> title, still retrying at the end
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    replays: int = 0
    ack_times: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    bad_bodies: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def admin_url(database_url: str) -> str:
    parts = urlparse(database_url)
    return urlunparse(parts._replace(path="/postgres"))


def ensure_database(database_url: str) -> str:
    name = urlparse(database_url).path.lstrip("/")
    with psycopg.connect(admin_url(database_url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return name


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "APP_ENV": "development",
            "DEBUG": "false",
            "RATE_LIMIT_CREATE": "off",
            "RATE_LIMIT_CLASSIFY": "off",
            # The rules provider: this measures the database path, not a model's load time.
            "TRIAGE_PROVIDERS": "triage.providers.rules.RulesProvider",
            "DB_CONNECT_TIMEOUT": "2",
            "RETRY_AFTER_UNAVAILABLE": "1",
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "ERROR"),
            "VAR_DIR": str(ROOT / "var" / "bench-faults"),
        }
    )
    return env


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [PYTHON, "backend/manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    uvicorn = str(Path(PYTHON).with_name("uvicorn"))
    process = subprocess.Popen(
        [
            uvicorn,
            "--app-dir",
            "backend",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health/", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit("the server did not become healthy within 60 s")


def client(base: str, run_id: str, number: int, stop: threading.Event, tally: Tally) -> None:
    """Create tickets one after another; retry each until acknowledged or the run ends."""
    with httpx.Client(base_url=base, timeout=10) as http:
        sequence = 0
        while not stop.is_set():
            sequence += 1
            key = str(uuid.uuid4())
            title = f"restart-loss {run_id} c{number}-{sequence}"
            body = {"title": title, "description": f"Ticket {sequence} from client {number}."}
            with tally.lock:
                tally.unacked[key] = title
            while not stop.is_set():
                started = time.monotonic()
                try:
                    response = http.post(
                        "/api/tickets/", json=body, headers={"Idempotency-Key": key}
                    )
                except httpx.HTTPError as exc:
                    with tally.lock:
                        tally.statuses[type(exc).__name__] += 1
                    time.sleep(0.2)
                    continue
                with tally.lock:
                    tally.statuses[str(response.status_code)] += 1
                if response.status_code == 201:
                    data = response.json()
                    with tally.lock:
                        tally.acked[key] = (int(data["id"]), title)
                        tally.unacked.pop(key, None)
                        tally.ack_times.append(time.monotonic())
                        tally.latencies.append(time.monotonic() - started)
                        if response.headers.get("Idempotent-Replayed") == "true":
                            tally.replays += 1
                        if data["title"] != title:
                            tally.bad_bodies.append(f"{key}: {data['title']!r}")
                    break
                if response.status_code == 503:
                    body_ok = response.json().get("error", {}).get("code") == "unavailable"
                    header_ok = response.headers.get("Retry-After", "").isdigit()
                    if not (body_ok and header_ok):
                        with tally.lock:
                            tally.bad_bodies.append(f"503 without the error shape: {response.text}")
                    time.sleep(min(float(response.headers.get("Retry-After", "1")), 0.5))
                    continue
                # Anything else (4xx, 500) is a failure of the run; keep retrying to see more.
                with tally.lock:
                    tally.bad_bodies.append(f"{response.status_code}: {response.text[:200]}")
                time.sleep(0.2)


def sample_connections(
    database_url: str, name: str, stop: threading.Event, seen: list[int]
) -> None:
    """Record how many connections the server holds: persistent ones must not pile up."""
    while not stop.is_set():
        try:
            with psycopg.connect(admin_url(database_url), connect_timeout=1) as conn:
                while not stop.is_set():
                    row = conn.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
                    ).fetchone()
                    seen.append(int(row[0]) if row else 0)
                    stop.wait(0.25)
        except psycopg.Error:
            stop.wait(0.25)


def pg_ctl(action: str, cluster: str) -> float:
    version, name = cluster.split("/")
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if action == "stop":
        command += ["-m", "fast"]
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True)
    return time.monotonic() - started


def default_cluster() -> str:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    return f"{versions[-1]}/main" if versions else "15/main"


def verify(database_url: str, run_id: str, tally: Tally) -> dict[str, int]:
    with psycopg.connect(database_url) as conn:
        rows = conn.execute(
            "SELECT id, title FROM tickets_ticket WHERE title LIKE %s", [f"restart-loss {run_id} %"]
        ).fetchall()
        history = conn.execute(
            "SELECT count(*) FROM audit_historicalticket WHERE title LIKE %s",
            [f"restart-loss {run_id} %"],
        ).fetchone()
    stored = {ticket_id: title for ticket_id, title in rows}
    titles = collections.Counter(title for _, title in rows)
    lost = [
        key for key, (ticket_id, title) in tally.acked.items() if stored.get(ticket_id) != title
    ]
    unacked_titles = set(tally.unacked.values())
    return {
        "stored": len(rows),
        "lost": len(lost),
        "duplicates": sum(count - 1 for count in titles.values() if count > 1),
        # Stored though never acknowledged (the answer was cut off and the run ended first).
        "stored_unacknowledged": sum(1 for title in titles if title in unacked_titles),
        "history_rows": int(history[0]) if history else 0,
    }


def longest_gap(times: list[float], start: float, end: float) -> float:
    points = [start, *sorted(times), end]
    return max(b - a for a, b in itertools.pairwise(points))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/triagedesk_faults",
        help="a database of its own: it is created and migrated",
    )
    parser.add_argument("--cluster", default=default_cluster(), help="pg_ctlcluster VERSION/NAME")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--restart-at", type=float, default=6.0, help="seconds into the load")
    parser.add_argument("--down-seconds", type=float, default=3.0, help="PostgreSQL kept down")
    parser.add_argument(
        "--no-restart", action="store_true", help="baseline: the same load, PostgreSQL left alone"
    )
    args = parser.parse_args()

    name = ensure_database(args.database_url)
    env = server_env(args.database_url)
    migrate(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    run_id = uuid.uuid4().hex[:8]
    tally = Tally()
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=client, args=(f"http://127.0.0.1:{port}", run_id, n, stop, tally), daemon=True
        )
        for n in range(args.clients)
    ]
    connections_seen: list[int] = []
    sampler = threading.Thread(
        target=sample_connections,
        args=(args.database_url, name, stop, connections_seen),
        daemon=True,
    )
    timeline: dict[str, float] = {}
    try:
        began = time.monotonic()
        sampler.start()
        for thread in threads:
            thread.start()
        time.sleep(args.restart_at)
        timeline["stop_begin"] = time.monotonic()
        if not args.no_restart:
            pg_ctl("stop", args.cluster)
        timeline["stopped"] = time.monotonic()
        if not args.no_restart:
            time.sleep(args.down_seconds)
        timeline["start_begin"] = time.monotonic()
        if not args.no_restart:
            pg_ctl("start", args.cluster)
        timeline["started"] = time.monotonic()
        time.sleep(max(0.0, args.duration - (time.monotonic() - began)))
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        ended = time.monotonic()
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
        # Never leave the shared cluster down, whatever happened above.
        if not args.no_restart:
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", *args.cluster.split("/"), "start"],
                capture_output=True,
            )

    result = verify(args.database_url, run_id, tally)
    after = [t for t in tally.ack_times if t >= timeline["started"]]
    first_ack_after = (min(after) - timeline["started"]) if after else float("nan")
    while_down = [t for t in tally.ack_times if timeline["stopped"] <= t < timeline["start_begin"]]
    other_5xx = sum(
        count
        for status, count in tally.statuses.items()
        if status.startswith("5") and status != "503"
    )
    elapsed = ended - began
    latencies = sorted(tally.latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000 if latencies else float("nan")
    outage_at = timeline["stop_begin"] - began
    outage = timeline["started"] - timeline["stop_begin"]
    stop_took = timeline["stopped"] - timeline["stop_begin"]
    start_took = timeline["started"] - timeline["start_begin"]
    gap = longest_gap(tally.ack_times, began, ended)

    lines = [
        f"restart_loss: {len(tally.acked)} tickets acknowledged with 201 in {elapsed:.1f} s "
        f"({len(tally.acked) / elapsed:.0f}/s), database {name}, cluster {args.cluster}",
        f"  clients {args.clients}, uvicorn workers {args.workers}; PostgreSQL stopped at "
        f"{outage_at:.1f} s for {outage:.1f} s (stop {stop_took:.2f} s, down "
        f"{args.down_seconds:.1f} s, start {start_took:.2f} s)",
        f"  LOST (acknowledged, not stored): {result['lost']}",
        f"  duplicates (one key, two tickets): {result['duplicates']}",
        f"  other 5xx than 503: {other_5xx}; unexpected answers: {len(tally.bad_bodies)}",
        f"  answers: {dict(sorted(tally.statuses.items()))}",
        f"  idempotent replays (201 for a retried key already stored): {tally.replays}",
        f"  acknowledged while the database was stopped: {len(while_down)}",
        f"  server connections to the database: max {max(connections_seen, default=0)}",
        f"  first 201 after PostgreSQL was back: {first_ack_after:.2f} s; "
        f"longest gap between 201s: {gap:.2f} s",
        f"  create latency (last try) p50 {p50:.0f} ms, p99 {p99:.0f} ms",
        f"  stored {result['stored']} (history rows {result['history_rows']}); "
        f"still retrying at the end: {len(tally.unacked)}, of which stored: "
        f"{result['stored_unacknowledged']}",
        f"  machine: {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
    ]
    print("\n".join(lines))
    for problem in tally.bad_bodies[:10]:
        print("  unexpected:", problem)
    ok = (
        result["lost"] == 0
        and result["duplicates"] == 0
        and other_5xx == 0
        and not tally.bad_bodies
    )
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
