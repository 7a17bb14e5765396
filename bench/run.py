"""Scale benchmarks: seed 10k, 100k and 1M tickets on PostgreSQL and measure the API under load.

For each size, on loopback only:

1. Creates (if needed) and migrates its own database, `triagedesk_bench_<size>`, on the server
   of `--database-url`, and seeds it with `manage.py seed_tickets` unless it already holds that
   many tickets (within 5%): re-running is quick, the 1M seed is done once (`--reseed` forces).
2. Times two baselines directly in SQL: the stats as one aggregate over the tickets, and a
   substring (ILIKE) search, i.e. what the counters and full-text search replace.
3. Starts the real server (scripts/serve_web.py: uvicorn serving config.asgi in `--workers`
   processes, rate limits off, the default TRIAGE_PROVIDERS, so create and classify use the
   local model).
4. For each call: `--calls` sequential requests (p50, p95, mean), then `--concurrency` clients
   sending `--load-calls` requests in total (throughput, p50 under load, errors).
5. Event latency: a client holds `GET /api/events/` open while tickets are created through the
   API; the time from sending each POST to receiving its `ticket.created` event.

Results go to bench/results/<size>.json and the tables between the markers in bench/RESULTS.md.

    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/run.py --database-url ... --sizes 10000 --calls 20
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import itertools
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
MANAGE = [PY, str(ROOT / "backend" / "manage.py")]
RESULTS_DIR = ROOT / "bench" / "results"
RESULTS_MD = ROOT / "bench" / "RESULTS.md"
START_MARK = "<!-- bench:start -->"
END_MARK = "<!-- bench:end -->"

WORDS_COMMON = "password"
WORDS_PREFIX = "passw"
WORDS_RARE = "kerberos"
TEXTS = [
    ("Charged twice this month", "My card was charged twice for invoice {n}, please refund one."),
    ("App crashes on start", "The mobile app crashes right after the splash screen, build {n}."),
    ("Cannot log in", "Password reset mail never arrives for user {n}, tried twice."),
    ("Question about plans", "Do you offer a nonprofit discount for team {n}?"),
    ("Export times out", "CSV export of report {n} times out after a minute."),
    ("Locked out", "Two-factor codes are rejected since I changed phone, account {n}."),
]


@dataclass
class Figures:
    name: str
    calls: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    load_calls: int = 0
    load_rps: float = 0.0
    load_p50_ms: float = 0.0
    load_p95_ms: float = 0.0
    errors: int = 0
    note: str = ""


@dataclass
class SizeResult:
    size: int
    tickets: int
    seeded: str
    baselines: dict[str, float] = field(default_factory=dict)
    search_index: dict[str, float] = field(default_factory=dict)
    figures: list[Figures] = field(default_factory=list)
    events: dict[str, float] = field(default_factory=dict)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def size_label(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


# -- database preparation --------------------------------------------------------------------


def ensure_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [*MANAGE, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def ticket_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT coalesce(sum(tickets), 0) FROM tickets_ticketcounter").fetchone()
        return int(row[0]) if row else 0


def prepare(url: str, size: int, env: dict[str, str], reseed: bool) -> tuple[int, str]:
    manage(env, "migrate", "--noinput", "-v", "0")
    count = ticket_count(url)
    if not reseed and size <= count <= size * 1.05:
        return count, f"reused ({count:,} tickets already there)"
    print(f"  seeding {size:,} tickets ...", flush=True)
    output = manage(env, "seed_tickets", "--count", str(size), "--truncate")
    summary = next((line for line in output.splitlines() if line.startswith("Added")), output)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) tickets_ticket")
    return ticket_count(url), summary.strip()


def sql_baselines(url: str, runs: int) -> dict[str, float]:
    """p50 (ms) of what the design replaces, run directly against the database."""
    aggregate = """
        SELECT count(*), min(created_at),
               count(*) FILTER (WHERE category_by_human AND suggested_category IS NOT NULL),
               count(*) FILTER (WHERE category_by_human AND category = suggested_category),
               {filters}
        FROM tickets_ticket"""
    filters = ", ".join(
        f"count(*) FILTER (WHERE {column} = '{value}')"
        for column, values in (
            ("priority", ("low", "medium", "high", "critical")),
            ("category", ("billing", "technical", "account", "general")),
            ("status", ("open", "in_progress", "resolved", "closed")),
        )
        for value in values
    )
    queries = {
        "stats as one aggregate over the tickets": aggregate.format(filters=filters),
        "search as ILIKE (substring), newest 51": (
            "SELECT id FROM tickets_ticket WHERE title ILIKE '%password%' "
            "OR description ILIKE '%password%' ORDER BY created_at DESC, id DESC LIMIT 51"
        ),
        "search as ILIKE, rare term": (
            "SELECT id FROM tickets_ticket WHERE title ILIKE '%kerberos%' "
            "OR description ILIKE '%kerberos%' ORDER BY created_at DESC, id DESC LIMIT 51"
        ),
    }
    out = {}
    with psycopg.connect(url) as conn:
        for name, sql in queries.items():
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                conn.execute(sql).fetchall()
                timings.append((time.perf_counter() - started) * 1000)
            out[name] = round(statistics.median(timings), 1)
    return out


# The search indexes over only the open and only the in-progress tickets (migration 0013).
WORKING_STATUS_INDEXES = (
    "ticket_open_search",
    "ticket_open_search_trigram",
    "ticket_in_progress_search",
    "ticket_in_progress_search_trigram",
)


def search_index_figures(url: str, rounds: int = 6, inserts: int = 50) -> dict[str, float]:
    """What the search indexes cost: their sizes beside the table, and the p50 of a single-row
    INSERT of an open ticket (triggers and every index included) with all of them, without the
    trigram index over every ticket, and without the working-status indexes, alternating in
    rounds (indexes dropped inside a savepoint, rolled back). One transaction, rolled back at
    the end: nothing changes."""
    sizes = """SELECT pg_relation_size('tickets_ticket'), pg_relation_size('ticket_search'),
                      pg_relation_size('ticket_search_trigram'),
                      (SELECT coalesce(sum(pg_relation_size(c.oid)), 0) FROM pg_class c
                       WHERE c.relname = ANY(%s))"""
    insert = (
        "INSERT INTO tickets_ticket (title, description, category, priority, status, "
        "created_at, updated_at, category_by_human, priority_by_human, triage_provider) "
        "VALUES (%s, %s, 'general', 'low', 'open', now(), now(), false, false, '')"
    )
    variants = {
        "all": (),
        "without_trigram": ("ticket_search_trigram",),
        "without_working_status": WORKING_STATUS_INDEXES,
    }
    timings: dict[str, list[float]] = {name: [] for name in variants}

    def measure_inserts(conn: psycopg.Connection, variant: str) -> None:
        for n in range(inserts):
            title, body = TEXTS[n % len(TEXTS)]
            started = time.perf_counter()
            conn.execute(insert, [title, body.format(n=random.randrange(10**9))])
            timings[variant].append((time.perf_counter() - started) * 1000)

    mb = 1024 * 1024
    with psycopg.connect(url) as conn:
        row = conn.execute(sizes, [list(WORKING_STATUS_INDEXES)]).fetchone()
        table, fulltext, trigram, working = row if row else (0, 0, 0, 0)
        names = list(variants)
        for n in range(rounds):
            for variant in names[n % len(names) :] + names[: n % len(names)]:
                conn.execute("SAVEPOINT variant")
                for index in variants[variant]:
                    conn.execute(f"DROP INDEX IF EXISTS {index}")
                measure_inserts(conn, variant)
                conn.execute("ROLLBACK TO SAVEPOINT variant")
        conn.rollback()
    return {
        "table_mb": round(table / mb, 1),
        "fulltext_index_mb": round(fulltext / mb, 1),
        "trigram_index_mb": round(trigram / mb, 1),
        "working_status_indexes_mb": round(float(working) / mb, 1),
        **{
            f"insert_p50_ms_{variant}": round(statistics.median(values), 3)
            for variant, values in timings.items()
        },
    }


# -- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def server(env: dict[str, str], workers: int, startup_timeout: float = 180) -> Iterator[str]:
    port = free_port()
    # As `make run` serves (scripts/serve.sh): one SO_REUSEPORT socket per process.
    command = [
        str(ROOT / ".venv" / "bin" / "python"),
        str(ROOT / "scripts" / "serve_web.py"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            try:
                if httpx.get(f"{url}/api/health/", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


# -- load ------------------------------------------------------------------------------------

Call = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


async def measure(
    url: str, name: str, call: Call, calls: int, load_calls: int, clients: int
) -> Figures:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for n in range(3):  # warm caches and connections
            await call(client, n)
        timings, errors = [], 0
        for n in range(calls):
            started = time.perf_counter()
            response = await call(client, n)
            timings.append((time.perf_counter() - started) * 1000)
            errors += response.status_code >= 400

    counter = itertools.count(calls + 10)
    load_timings: list[float] = []

    async def worker() -> int:
        failures = 0
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            while (n := next(counter)) < calls + 10 + load_calls:
                started = time.perf_counter()
                try:
                    response = await call(client, n)
                    failures += response.status_code >= 400
                except httpx.HTTPError:
                    failures += 1
                load_timings.append((time.perf_counter() - started) * 1000)
        return failures

    started = time.perf_counter()
    failures = await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    return Figures(
        name=name,
        calls=calls,
        p50_ms=round(percentile(timings, 0.5), 1),
        p95_ms=round(percentile(timings, 0.95), 1),
        mean_ms=round(statistics.fmean(timings), 1),
        load_calls=load_calls,
        load_rps=round(load_calls / elapsed, 1),
        load_p50_ms=round(percentile(load_timings, 0.5), 1),
        load_p95_ms=round(percentile(load_timings, 0.95), 1),
        errors=errors + sum(failures),
    )


def get(path: str, **params: str) -> Call:
    async def call(client: httpx.AsyncClient, n: int) -> httpx.Response:
        response = await client.get(path, params=params)
        return response

    return call


def text(n: int) -> dict[str, str]:
    title, body = TEXTS[n % len(TEXTS)]
    return {"title": title, "description": body.format(n=n * 7919 + random.randrange(10**6))}


async def create(client: httpx.AsyncClient, n: int) -> httpx.Response:
    return await client.post("/api/tickets/", json=text(n))


async def classify(client: httpx.AsyncClient, n: int) -> httpx.Response:
    return await client.post("/api/tickets/classify/", json=text(n))


def patch(max_id: int) -> Call:
    statuses = ["open", "in_progress", "resolved", "closed"]

    async def call(client: httpx.AsyncClient, n: int) -> httpx.Response:
        ticket = random.randrange(1, max_id)
        return await client.patch(f"/api/tickets/{ticket}/", json={"status": statuses[n % 4]})

    return call


async def event_latency(url: str, samples: int) -> dict[str, float]:
    """Time from sending a POST to receiving its ticket.created event on an open stream."""
    arrived: dict[int, float] = {}
    ready = asyncio.Event()

    async def listen() -> None:
        async with (
            httpx.AsyncClient(base_url=url, timeout=None) as client,
            client.stream("GET", "/api/events/") as response,
        ):
            name = None
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    name = line.split(":", 1)[1].strip()
                    if name == "stats":
                        ready.set()
                elif line.startswith("data:") and name == "ticket.created":
                    arrived[json.loads(line[5:])["id"]] = time.perf_counter()

    listener = asyncio.create_task(listen())
    await asyncio.wait_for(ready.wait(), 10)
    latencies, after_response = [], []
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        for n in range(samples):
            sent = time.perf_counter()
            response = await client.post("/api/tickets/", json=text(10_000 + n))
            answered = time.perf_counter()
            ticket = response.json()["id"]
            deadline = time.perf_counter() + 5
            while ticket not in arrived and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            if ticket in arrived:
                latencies.append((arrived[ticket] - sent) * 1000)
                # The commit happens before the response: an event may even arrive first (< 0).
                after_response.append((arrived[ticket] - answered) * 1000)
            await asyncio.sleep(0.05)
    listener.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listener
    return {
        "samples": len(latencies),
        "missed": samples - len(latencies),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies), 1) if latencies else float("nan"),
        "after_response_p50_ms": round(percentile(after_response, 0.5), 1),
        "after_response_max_ms": round(max(after_response), 1) if after_response else float("nan"),
    }


# Tickets the search shapes of issue 14 look for, planted once per database (by title) among the
# seeded ones, half a year back: a search that walks the newest-first index to find one of them
# reads about half the table.
NEEDLE_CODE = "9F3KQ7ZX2M8WLT4RB6NC1YHD5PJ0VGSA"
NEEDLE_EMAIL = "jo.reyes@example-shop.com"
NEEDLES = [
    ("Crash report (bench needle)", f"The app shows reference {NEEDLE_CODE} and quits."),
    ("Cannot sign in (bench needle)", f"My address is {NEEDLE_EMAIL}, no mail arrives."),
    ("Question on INV-2024-0042 (bench needle)", "The total on this invoice looks wrong."),
    ("Order status (bench needle)", "Where is order ORD877310X? We paid last week."),
]


NEEDLE_AGE = dt.timedelta(days=180)


def plant_needles_with(cursor: Any, created_at: object) -> None:
    """Plants `NEEDLES` (each once, found by title) through a DB-API cursor that takes `%s`
    parameters: psycopg's, or Django's on any database (`bench/search_inprocess.py --plant` on
    SQLite). `created_at` is `NEEDLE_AGE` ago, as the database stores a timestamp."""
    columns = (
        "title, description, category, priority, status, created_at, updated_at, "
        "category_by_human, priority_by_human, triage_provider"
    )
    for title, description in NEEDLES:
        cursor.execute("SELECT 1 FROM tickets_ticket WHERE title = %s", [title])
        if cursor.fetchone():
            continue
        cursor.execute(
            f"INSERT INTO tickets_ticket ({columns}) VALUES (%s, %s, 'technical', 'medium', "
            "'open', %s, %s, false, false, '')",
            [title, description, created_at, created_at],
        )


def plant_needles(url: str) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        plant_needles_with(cursor, dt.datetime.now(dt.UTC) - NEEDLE_AGE)


def search_shapes() -> list[tuple[str, dict[str, str]]]:
    """The search shapes of issue 14: (name, query parameters)."""
    labels = {"status": "open", "category": "billing"}
    return [
        ("shape: common word (refund)", {"search": "refund"}),
        ("shape: prefix (invoic)", {"search": "invoic"}),
        ("shape: two words, one unknown (refund zzqq)", {"search": "refund zzqq"}),
        ("shape: typo matching nothing (zzqqxx)", {"search": "zzqqxx"}),
        ("shape: typo + status=open&category=billing", {"search": "zzqqxx", **labels}),
        ("shape: whole 32-char code", {"search": NEEDLE_CODE}),
        ("shape: 6 chars from the middle of the code", {"search": NEEDLE_CODE[13:19]}),
        ("shape: email address", {"search": NEEDLE_EMAIL}),
        ("shape: hyphenated code (INV-2024-0042)", {"search": "INV-2024-0042"}),
        ("shape: number inside a token (7731)", {"search": "7731"}),
        ("shape: two rare words (kerberos zscaler)", {"search": "kerberos zscaler"}),
        (
            "shape: rare word + filters (kerberos, open, technical)",
            {"search": "kerberos", "status": "open", "category": "technical"},
        ),
    ]


def max_ticket_id(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT max(id) FROM tickets_ticket").fetchone()
        return int(row[0] or 1) if row else 1


def rare_number(url: str) -> str:
    """A per-ticket number from a seeded description: a term exactly one ticket or two contain."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT substring(description from '#([0-9]{5,6})') FROM tickets_ticket "
            "WHERE description ~ '#[0-9]{5,6}' ORDER BY id LIMIT 1"
        ).fetchone()
        return str(row[0]) if row and row[0] else "48213"


async def run_calls(url: str, db_url: str, args: argparse.Namespace) -> list[Figures]:
    number = rare_number(db_url)
    scenarios: list[tuple[str, Call]] = [
        ("list (newest 50)", get("/api/tickets/")),
        ("filter status=open", get("/api/tickets/", status="open")),
        ("filter category+priority", get("/api/tickets/", category="billing", priority="high")),
        (
            "filter all three (rare combo)",
            get("/api/tickets/", status="closed", category="general", priority="critical"),
        ),
        (
            "filter multi-value",
            get("/api/tickets/", status="open,in_progress", priority="critical"),
        ),
        (f"search common word ({WORDS_COMMON})", get("/api/tickets/", search=WORDS_COMMON)),
        (f"search prefix ({WORDS_PREFIX})", get("/api/tickets/", search=WORDS_PREFIX)),
        (f"search rare term ({WORDS_RARE})", get("/api/tickets/", search=WORDS_RARE)),
        (f"search order number ({number})", get("/api/tickets/", search=number)),
        ("search + filter (refund, open)", get("/api/tickets/", search="refund", status="open")),
        (
            f"search ranked, common ({WORDS_COMMON})",
            get("/api/tickets/", search=WORDS_COMMON, ordering="relevance"),
        ),
        (
            f"search ranked, rare ({WORDS_RARE})",
            get("/api/tickets/", search=WORDS_RARE, ordering="relevance"),
        ),
        *((name, get("/api/tickets/", **params)) for name, params in search_shapes()),
        ("stats", get("/api/tickets/stats/")),
        ("create (local triage)", create),
        ("patch status", patch(max_ticket_id(db_url))),
        ("classify (local model)", classify),
    ]
    if args.only:
        wanted = [part.strip() for part in args.only.split(",")]
        scenarios = [(name, call) for name, call in scenarios if any(w in name for w in wanted)]
    figures = []
    for name, call in scenarios:
        result = await measure(url, name, call, args.calls, args.load_calls, args.concurrency)
        print(
            f"  {name:<36} p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  "
            f"{result.load_rps:7.1f} req/s x{args.concurrency}  errors {result.errors}",
            flush=True,
        )
        figures.append(result)
    return figures


# -- report ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB"
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def render(results: list[SizeResult], info: dict[str, str], args: argparse.Namespace) -> str:
    lines = [
        f"Run {info['when']} on {info['cpu']}, {info['memory']} RAM, {info['os']}, "
        f"{info['postgres']}, Python {info['python']}; uvicorn with {args.workers} worker(s); "
        f"load average before the run: {info['load']}.",
        "",
        f"Latency: {args.calls} sequential calls after 3 warm-up calls. Throughput: "
        f"{args.concurrency} concurrent clients sending {args.load_calls} calls in total "
        "(p50/p95 under that load). Client and server share the machine.",
        "",
    ]
    for result in results:
        lines += [
            f"### {result.tickets:,} tickets",
            "",
            f"Seed: {result.seeded}",
            "",
            "| call | p50 ms | p95 ms | req/s (x"
            f"{args.concurrency}) | p50 / p95 ms under load | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for f in result.figures:
            lines.append(
                f"| {f.name} | {f.p50_ms} | {f.p95_ms} | {f.load_rps} | "
                f"{f.load_p50_ms} / {f.load_p95_ms} | {f.errors} |"
            )
        e = result.events
        lines += [""]
        if e:
            lines += [
                "Event latency (POST sent -> `ticket.created` received on an open stream, "
                f"{e.get('samples', 0)} samples, {e.get('missed', 0)} missed): "
                f"p50 {e.get('p50_ms')} ms, p95 {e.get('p95_ms')} ms, max {e.get('max_ms')} ms; "
                f"after the POST's response: p50 {e.get('after_response_p50_ms')} ms, "
                f"max {e.get('after_response_max_ms')} ms.",
                "",
            ]
        lines += [
            "Baselines measured directly in SQL (p50, ms): "
            + "; ".join(f"{name}: {ms}" for name, ms in result.baselines.items())
            + ".",
            "",
        ]
        if result.search_index:
            i = result.search_index
            lines += [
                f"Search indexes: table {i['table_mb']} MB, full-text GIN "
                f"{i['fulltext_index_mb']} MB, trigram GIN {i['trigram_index_mb']} MB, the four "
                f"over open / in-progress tickets {i.get('working_status_indexes_mb', 0)} MB. "
                f"Single-row INSERT of an open ticket in SQL, p50: {i['insert_p50_ms_all']} ms "
                f"with every index, {i['insert_p50_ms_without_trigram']} ms without the trigram "
                f"index over every ticket, {i['insert_p50_ms_without_working_status']} ms without "
                "the working-status ones.",
                "",
            ]
    return "\n".join(lines)


def server_env(url: str) -> dict[str, str]:
    """The environment of the server and its commands: this database, every rate limit off."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "APP_ENV": "development",
        "RATE_LIMIT_CREATE": "off",
        "RATE_LIMIT_CLASSIFY": "off",
        "RATE_LIMIT_LOGIN_ACCOUNT": "off",
        "RATE_LIMIT_LOGIN_ADDRESS": "off",
        "LOG_LEVEL": "WARNING",
    }


def run_info(database_url: str) -> dict[str, str]:
    """When the run starts, the load average then, the machine and the PostgreSQL version."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info = {"when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "load": load}
    info.update(machine())
    with psycopg.connect(database_url) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        info["postgres"] = f"PostgreSQL {version[0] if version else '?'}"
    return info


def write_markdown(section: str, start: str = START_MARK, end: str = END_MARK) -> None:
    """Put `section` between the markers `start` and `end` of RESULTS.md (appended if none)."""
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else f"{start}\n{end}\n"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    replacement = f"{start}\n{section}\n{end}"
    if pattern.search(text):
        text = pattern.sub(lambda _: replacement, text)
    else:
        text += f"\n{replacement}\n"
    RESULTS_MD.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True, help="any database on the server")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--load-calls", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--events", type=int, default=20, help="event latency samples")
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument(
        "--db-prefix", default="triagedesk_bench", help="databases are <prefix>_<size>"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated parts of call names: measure only those"
    )
    parser.add_argument(
        "--section",
        default="",
        help="RESULTS.md section: between <!-- bench:<section>:start/end --> (default: main)",
    )
    parser.add_argument(
        "--results-suffix", default="", help="results/<size><suffix>.json (keep other runs)"
    )
    parser.add_argument("--no-markdown", action="store_true", help="leave RESULTS.md alone")
    args = parser.parse_args()

    RESULTS_DIR.mkdir(exist_ok=True)
    info = run_info(args.database_url)

    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        name = f"{args.db_prefix}_{size_label(size)}"
        url = with_db(args.database_url, name)
        print(f"== {size:,} tickets ({name}) ==", flush=True)
        ensure_database(args.database_url, name)
        env = server_env(url)
        tickets, seeded = prepare(url, size, env, args.reseed)
        print(f"  {seeded}", flush=True)
        result = SizeResult(size=size, tickets=tickets, seeded=seeded)
        result.baselines = sql_baselines(url, runs=7)
        plant_needles(url)
        result.search_index = search_index_figures(url)
        print(f"  search index: {result.search_index}", flush=True)
        with server(env, args.workers) as base_url:
            result.figures = asyncio.run(run_calls(base_url, url, args))
            if args.events:
                result.events = asyncio.run(event_latency(base_url, args.events))
        print(f"  events: {result.events}", flush=True)
        results.append(result)
        (RESULTS_DIR / f"{size_label(size)}{args.results_suffix}.json").write_text(
            json.dumps({"machine": info, **asdict(result)}, indent=2)
        )
    section = render(results, info, args)
    print(section)
    if not args.no_markdown:
        if args.section:
            marks = (f"<!-- bench:{args.section}:start -->", f"<!-- bench:{args.section}:end -->")
            write_markdown(section, *marks)
        else:
            write_markdown(section)


if __name__ == "__main__":
    sys.exit(main())
