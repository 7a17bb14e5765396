"""The search shapes of issue 14 measured in-process: selector, page and count, no HTTP.

What the database and the ORM cost for each shape (`bench/run.py` measures the same shapes
through the server). Runs against a seeded bench database (needles planted by `bench/run.py`):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search_1m \\
        .venv/bin/python bench/search_inprocess.py --runs 15
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--label", default="", help="also write results/search-inprocess-<label>")
    args = parser.parse_args()

    import django

    django.setup()
    from accounts.access import SYSTEM
    from tickets import selectors

    run = load_run()
    shapes = run.search_shapes()  # type: ignore[attr-defined]
    rows = []
    for name, params in shapes:
        timings = []
        for _ in range(args.runs + 2):
            started = time.perf_counter()
            listing = selectors.ticket_listing(caller=SYSTEM, filters=params)
            page = listing.page(cursor=None, limit=50)
            total = listing.count(page)
            timings.append((time.perf_counter() - started) * 1000)
        timings = timings[2:]  # warm-up
        row = {
            "name": name,
            "p50_ms": round(statistics.median(timings), 1),
            "found": len(page.items),
            "total": total.value,
            "exact": total.exact,
        }
        rows.append(row)
        print(
            f"  {name:<55} p50 {row['p50_ms']:6.1f} ms  page {row['found']:3}  "
            f"X-Total-Count {row['total']} ({'exact' if row['exact'] else 'estimate'})",
            flush=True,
        )
    if args.label:
        out = {"machine": run.machine(), "load": os.getloadavg(), "shapes": rows}  # type: ignore[attr-defined]
        path = ROOT / "bench" / "results" / f"search-inprocess-{args.label}.json"
        path.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
