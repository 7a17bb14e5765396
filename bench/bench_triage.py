"""Local triage latency: how long one ticket takes through the local model provider.

Trains the shipped recipe from the seed corpus into a scratch directory (so `var/` is left
alone), then times `LocalModelProvider.predict` one ticket at a time over seed texts of every
length, as the classify endpoint calls it (the per-call check for a newer model included, the
suggestion cache not: every call is a real prediction). Five rounds; the median round's p50 and
p95 are reported. Then the same for a combined model, whose category and priority classifiers
come from two different fits (what a per-label promotion leaves live): it extracts the text
features twice. Run from the repository root:

    .venv/bin/python bench/bench_triage.py [--calls 2000] [--no-record]

Prints the figures and appends them to bench/TRIAGE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import sklearn  # noqa: E402
from django.test import override_settings  # noqa: E402

from triage import store  # noqa: E402
from triage.learning import training  # noqa: E402
from triage.providers.base import TicketText  # noqa: E402
from triage.providers.local import LocalModelProvider  # noqa: E402

ROUNDS = 5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def time_provider(
    provider: LocalModelProvider, texts: list[TicketText], calls: int
) -> tuple[float, float]:
    """The median round's p50 and p95 in milliseconds, one ticket per call."""
    rounds = []
    for _ in range(ROUNDS):
        latencies = []
        for n in range(calls):
            text = texts[n % len(texts)]
            started = time.perf_counter()
            provider.predict(text)
            latencies.append((time.perf_counter() - started) * 1000)
        rounds.append((percentile(latencies, 0.5), percentile(latencies, 0.95)))
    return statistics.median(p for p, _ in rounds), statistics.median(p for _, p in rounds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="Predictions per round.")
    parser.add_argument("--no-record", action="store_true", help="Do not append to TRIAGE.md.")
    args = parser.parse_args()

    examples = training.seed_examples()
    texts = [TicketText(e.title, e.description) for e in examples]
    with (
        tempfile.TemporaryDirectory() as scratch,
        override_settings(TRIAGE_MODEL_DIR=Path(scratch)),
    ):
        started = time.perf_counter()
        bundle, _ = training.fit_bundle(examples)
        store.promote(bundle)
        train_seconds = time.perf_counter() - started
        provider = LocalModelProvider()
        started = time.perf_counter()
        provider.predict(texts[0])  # loads the model file once
        load_ms = (time.perf_counter() - started) * 1000
        p50, p95 = time_provider(provider, texts, args.calls)
        # A second fit on half the rows stands in for the previous live model.
        other, held_out = training.fit_bundle(examples[::2])
        store.promote(training.combine_bundles(bundle, other, ("category",), held_out))
        combined_p50, combined_p95 = time_provider(provider, texts, args.calls)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    machine = (
        f"{cpu_name()}, {os.cpu_count()} CPUs, load average {load:.2f} at start, "
        f"Python {platform.python_version()}, scikit-learn {sklearn.__version__}"
    )
    lines = [
        f"- {dt.date.today().isoformat()}: local predict p50 {p50:.2f} ms, p95 {p95:.2f} ms "
        f"(median of {ROUNDS} rounds x {args.calls} single-ticket calls over "
        f"{len(texts)} seed texts); model trained in {train_seconds:.1f} s from "
        f"{len(examples)} examples, first load {load_ms:.0f} ms; a combined model (category and "
        f"priority from two fits) p50 {combined_p50:.2f} ms, p95 {combined_p95:.2f} ms. "
        f"Machine: {machine}.",
    ]
    print("\n".join(lines))
    if not args.no_record:
        with (ROOT / "bench" / "TRIAGE.md").open("a") as handle:
            handle.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
