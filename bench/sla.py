"""SLA benchmark at 1M tickets (PostgreSQL, loopback only).

1. Creates and migrates its own database (`bench_sla` by default), seeded once with
   `manage.py seed_tickets` (reused while it holds that many tickets).
2. Gives every ticket SLA columns with one SQL UPDATE: dues at the default policies' lengths
   counted around the clock from `created_at`, at-risk moments at 80% of each target, breaches
   recorded for running targets already past due (as the sweep would have). The columns'
   shape is what the queries read; the business-time arithmetic itself is checked by the
   property tests, and its speed is timed here separately (`backfill_per_ticket_ms`).
3. In one `manage.py shell`, through Django's test client and the whole middleware/DRF stack:
   `GET /api/tickets/?sla=at_risk` and `GET /api/tickets/?ordering=due&status=open`, `--calls`
   each after a warm-up, p50 and p95.
4. The breach sweep with every ticket open (one UPDATE sets them all open first): `--due`
   running targets made newly due, then `sla_sweep()` timed (rows it flagged), then again
   (nothing left to flag).

Results: bench/results/sla-<size>.json and the SLA section of bench/RESULTS.md.

    .venv/bin/python bench/sla.py --database-url postgres://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import psycopg
from run import (
    RESULTS_DIR,
    ensure_database,
    manage,
    run_info,
    server_env,
    size_label,
    ticket_count,
    with_db,
    write_markdown,
)

START_MARK = "<!-- bench-sla:start -->"
END_MARK = "<!-- bench-sla:end -->"
TARGET_LIST_MS = 20.0
TARGET_SWEEP_MS = 1000.0

SHAPE = """
UPDATE tickets_ticket SET
  sla_first_response_due_at = created_at + fr,
  sla_resolution_due_at = created_at + res,
  sla_resolved_at = CASE WHEN status IN ('resolved', 'closed') THEN updated_at END,
  sla_first_response_breached = status IN ('open', 'in_progress') AND created_at + fr <= now(),
  sla_resolution_breached = status IN ('open', 'in_progress') AND created_at + res <= now(),
  sla_due_at = CASE WHEN status IN ('open', 'in_progress') THEN created_at + fr END,
  sla_at_risk_at = CASE WHEN status IN ('open', 'in_progress') THEN created_at + fr * 0.8 END
FROM (VALUES ('critical', interval '1 hour', interval '4 hours'),
             ('high', interval '4 hours', interval '1 day'),
             ('medium', interval '8 hours', interval '3 days'),
             ('low', interval '1 day', interval '5 days')) AS p(priority, fr, res)
WHERE tickets_ticket.priority = p.priority
"""

MEASURE = r"""
import json, statistics, time, datetime as dt
from django.test import Client
from django.db import connection
from sla.services import sla_sweep, ticket_sla_backfill
from tickets.models import Ticket

calls = {calls}
client = Client(HTTP_HOST="localhost")
out = {{}}
for name, path in [("at_risk", "/api/tickets/?sla=at_risk"),
                   ("due_open", "/api/tickets/?ordering=due&status=open")]:
    for _ in range(5):
        client.get(path)
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:200]
    times.sort()
    out[name] = {{"p50_ms": round(statistics.median(times), 2),
                 "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
                 "rows": len(response.json()), "total": response["X-Total-Count"]}}

# The business-time arithmetic's own speed: recompute 2,000 tickets with the Python backfill.
ids = list(Ticket.objects.order_by("-id").values_list("id", flat=True)[:2000])
start = time.perf_counter()
Ticket.objects.filter(pk__in=ids).update(sla_first_response_due_at=None)
written = ticket_sla_backfill(batch_size=500)
out["backfill_per_ticket_ms"] = round((time.perf_counter() - start) * 1000 / max(written, 1), 3)
out["backfill_written"] = written
print("RESULT " + json.dumps(out))
"""

SWEEP = r"""
import json, time
from django.db import connection
from sla.services import sla_sweep
from tickets.models import Ticket
with connection.cursor() as c:
    c.execute("SELECT count(*) FROM tickets_ticket WHERE status = 'open'")
    open_count = c.fetchone()[0]
    # {due} running first-response targets become due a moment ago, unrecorded.
    c.execute(
        "UPDATE tickets_ticket SET sla_first_response_due_at = now() - interval '1 second', "
        "sla_first_response_breached = false, first_response_at = NULL "
        "WHERE id IN (SELECT id FROM tickets_ticket ORDER BY id DESC LIMIT {due})"
    )
    c.execute("ANALYZE tickets_ticket")
start = time.perf_counter()
flagged = sla_sweep()
first_ms = (time.perf_counter() - start) * 1000
start = time.perf_counter()
again = sla_sweep()
second_ms = (time.perf_counter() - start) * 1000
print("RESULT " + json.dumps({{"open_tickets": open_count, "newly_due": {due},
      "flagged": len(flagged), "sweep_ms": round(first_ms, 1),
      "flagged_again": len(again), "idle_sweep_ms": round(second_ms, 1)}}))
"""


def result_line(output: str) -> dict[str, object]:
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    parsed: dict[str, object] = json.loads(line.removeprefix("RESULT "))
    return parsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an admin URL (any database)")
    parser.add_argument("--database", default="bench_sla")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=50)
    parser.add_argument("--due", type=int, default=500)
    parser.add_argument(
        "--lists-only", action="store_true", help="keep the last recorded sweep (its own run)"
    )
    args = parser.parse_args()
    ensure_database(args.database_url, args.database)
    url = with_db(args.database_url, args.database)
    env = server_env(url)
    info = run_info(url)
    manage(env, "migrate", "--noinput", "-v", "0")
    count = ticket_count(url)
    seeded = f"reused ({count:,} tickets already there)"
    if count < args.size:
        # Adds to what is there: `seed_tickets --truncate` cannot truncate the tickets while
        # conversations' messages reference them (TRUNCATE without CASCADE).
        print(f"  seeding {args.size - count:,} tickets ...", flush=True)
        manage(env, "seed_tickets", "--count", str(args.size - count))
        count, seeded = ticket_count(url), f"seeded {args.size - count:,}"
    print(f"  {seeded}; shaping SLA columns ...", flush=True)
    with psycopg.connect(url, autocommit=True) as conn:
        # Shaped once: a rerun keeps the columns (the sweep phase below leaves every ticket open).
        if conn.execute(
            "SELECT 1 FROM tickets_ticket WHERE sla_first_response_due_at IS NULL LIMIT 1"
        ).fetchone():
            conn.execute(SHAPE)
            conn.execute("VACUUM ANALYZE tickets_ticket")
    lists = result_line(manage(env, "shell", "-c", MEASURE.format(calls=args.calls)))
    print(f"  lists: {lists}", flush=True)
    path = RESULTS_DIR / f"sla-{size_label(args.size)}.json"
    if args.lists_only and path.exists():
        sweep = json.loads(path.read_text())["sweep"]
    else:
        sweep = run_sweep(url, env, args.due)
    print(f"  sweep: {sweep}", flush=True)
    result = {"info": info, "tickets": count, "seed": seeded, "lists": lists, "sweep": sweep}
    write_results(path, result, args, info, count, lists, sweep)


def run_sweep(url: str, env: dict[str, str], due: int) -> dict[str, object]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE tickets_ticket SET status = 'open', sla_resolved_at = NULL, "
            "sla_first_response_breached = true, sla_resolution_breached = true"
        )
        conn.execute("VACUUM ANALYZE tickets_ticket")
    return result_line(manage(env, "shell", "-c", SWEEP.format(due=due)))


def write_results(
    path: Path,
    result: dict[str, object],
    args: argparse.Namespace,
    info: dict[str, str],
    count: int,
    lists: dict[str, Any],
    sweep: dict[str, Any],
) -> None:
    path.write_text(json.dumps(result, indent=2) + "\n")
    at_risk, due_open = lists["at_risk"], lists["due_open"]
    assert isinstance(at_risk, dict) and isinstance(due_open, dict)
    verdict = lambda ok: "met" if ok else "MISSED"  # noqa: E731
    section = "\n".join(
        [
            f"## SLA at {count:,} tickets (`bench/sla.py`, {info['when']}, load {info['load']})",
            "",
            f"Machine: {info.get('cpu', '?')}, {info.get('postgres', '?')}. "
            "In-process (Django test client, whole stack), "
            f"{args.calls} calls each after a warm-up. SLA columns shaped by SQL (see the script).",
            "",
            "| measure | p50 | p95 | target |",
            "| --- | --- | --- | --- |",
            f"| `?sla=at_risk` ({at_risk['rows']} rows, total {at_risk['total']}) | "
            f"{at_risk['p50_ms']} ms | {at_risk['p95_ms']} ms | ≤ {TARGET_LIST_MS} ms: "
            f"{verdict(float(at_risk['p50_ms']) <= TARGET_LIST_MS)} |",
            f"| `?ordering=due&status=open` ({due_open['rows']} rows) | {due_open['p50_ms']} ms | "
            f"{due_open['p95_ms']} ms | ≤ {TARGET_LIST_MS} ms: "
            f"{verdict(float(due_open['p50_ms']) <= TARGET_LIST_MS)} |",
            "",
            f"Breach sweep over {sweep['open_tickets']:,} open tickets, {sweep['newly_due']} "
            f"newly due: {sweep['sweep_ms']} ms, flagged {sweep['flagged']} (target ≤ "
            f"{TARGET_SWEEP_MS:.0f} ms touching only those: "
            f"{verdict(float(sweep['sweep_ms']) <= TARGET_SWEEP_MS)}); "
            f"the next sweep flagged {sweep['flagged_again']} in {sweep['idle_sweep_ms']} ms.",
            "",
            f"Business-time backfill (Python, default calendar): "
            f"{lists['backfill_per_ticket_ms']} ms per ticket over {lists['backfill_written']} "
            "tickets.",
        ]
    )
    write_markdown(section, START_MARK, END_MARK)
    print(section)


if __name__ == "__main__":
    main()
