"""The search shapes of issue 14 measured in-process: selector, page and count, no HTTP.

What the database and the ORM cost for each shape (`bench/run.py` measures the same shapes
through the server). Runs against a seeded bench database (needles planted by `bench/run.py`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search_1m \\
        .venv/bin/python bench/search_inprocess.py --runs 15

or on SQLite (`make run`'s embedded default), where `--plant` plants the same needles with
`bench/run.py`'s code and `--verify` checks every shape against a plain substring scan:

    export DATABASE_URL=sqlite:///$PWD/var/bench/search-100k.sqlite3
    .venv/bin/python backend/manage.py migrate
    .venv/bin/python backend/manage.py seed_tickets --count 100000
    .venv/bin/python bench/search_inprocess.py --plant --verify --runs 15 --label sqlite-100k
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# bench/ is not on the path: bench/accounts.py would shadow the accounts app.
sys.path.insert(0, str(ROOT / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def load_run() -> object:
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


def plant(run: Any) -> None:
    """`bench/run.py`'s needles, through Django's connection (any database)."""
    import datetime as dt

    from django.db import connection

    created_at = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC) - run.NEEDLE_AGE)
    with connection.cursor() as cursor:
        run.plant_needles_with(cursor, created_at)


def expected_ids(params: dict[str, str]) -> list[int]:
    """The ids a shape must find, newest first, from a plain scan of every ticket: each word of
    the search in the title or the description (case-folded), and the other parameters equal."""
    from tickets.models import Ticket

    words = [word.casefold() for word in params.get("search", "").split()]
    labels = {key: value for key, value in params.items() if key != "search"}
    rows = Ticket.objects.values_list("id", "created_at", "title", "description", *labels)
    found = []
    for id_, created_at, title, description, *values in rows.iterator(chunk_size=5000):
        if values != list(labels.values()):
            continue
        title, description = title.casefold(), description.casefold()
        if all(word in title or word in description for word in words):
            found.append((created_at, id_))
    return [id_ for _, id_ in sorted(found, reverse=True)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--label", default="", help="also write results/search-inprocess-<label>")
    parser.add_argument("--plant", action="store_true", help="plant bench/run.py's needles first")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="check each shape's page and exact count against a substring scan of every ticket "
        "(substring semantics: SQLite's; exits 1 on a difference)",
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from accounts.access import SYSTEM
    from tickets import selectors
    from tickets.models import Ticket

    run: Any = load_run()
    if args.plant:
        plant(run)
    print(f"{connection.vendor}, load average {os.getloadavg()}", flush=True)
    shapes = run.search_shapes()
    rows = []
    for name, params in shapes:
        timings, cpu = [], []
        for _ in range(args.runs + 2):
            started, started_cpu = time.perf_counter(), time.process_time()
            listing = selectors.ticket_listing(caller=SYSTEM, filters=params)
            page = listing.page(cursor=None, limit=50)
            total = listing.count(page)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        timings, cpu = timings[2:], cpu[2:]  # warm-up
        row = {
            "name": name,
            "p50_ms": round(statistics.median(timings), 1),
            # This process's CPU time: all of the work on SQLite (in-process), only the client's
            # share on PostgreSQL. Unlike wall time, hardly moved by other processes' load.
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "found": len(page.items),
            "total": total.value,
            "exact": total.exact,
        }
        if args.verify:
            expected = expected_ids(params)
            row["expected"] = len(expected)
            row["verified"] = [t.id for t in page.items] == expected[:50] and (
                total.value == len(expected) if total.exact else total.value >= len(page.items)
            )
        rows.append(row)
        print(
            f"  {name:<55} p50 {row['p50_ms']:6.1f} ms (CPU {row['cpu_p50_ms']:6.1f})  "
            f"page {row['found']:3}  "
            f"X-Total-Count {row['total']} ({'exact' if row['exact'] else 'estimate'})"
            + (
                f"  expected {row['expected']}: {'ok' if row['verified'] else 'WRONG'}"
                if args.verify
                else ""
            ),
            flush=True,
        )
    if args.label:
        out = {
            "machine": run.machine(),
            "database": connection.vendor,
            "tickets": Ticket.objects.count(),
            "load": os.getloadavg(),
            "shapes": rows,
        }
        path = ROOT / "bench" / "results" / f"search-inprocess-{args.label}.json"
        path.write_text(json.dumps(out, indent=2))
    if args.verify and not all(row["verified"] for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
