"""Classify latency over HTTP: `POST /api/tickets/classify/` with concurrent clients.

Trains the shipped model (seed corpus, no organisation data) into a scratch `VAR_DIR` if it is
not there yet, starts the real server (uvicorn serving config.asgi, `--workers` processes,
SQLite, rate limits off, the default providers: no key, so the local model answers), and sends
`--calls` requests from `--clients` concurrent clients. Every text is unique (a number is added),
so no answer comes from the suggestion cache: each request is a real prediction. Warm-up
requests are not timed. Prints p50, p95, mean, throughput and the load average (other jobs share
the machine), the server's own `latency_ms` (the chain's time inside the request), and an
in-process profile of where a prediction's time goes. With `--record`, writes
bench/results/triage-http.json and the section between the triage markers of bench/RESULTS.md.

    .venv/bin/python bench/triage_http.py [--clients 4] [--calls 800] [--workers 2] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, machine, percentile, server, write_markdown

RESULT = ROOT / "bench" / "results" / "triage-http.json"
START, END = "<!-- triage-http:start -->", "<!-- triage-http:end -->"
TEXTS = [
    ("", "hi, you charged me twice this month for the same order {n}"),
    (
        "VPN not connecting",
        "Hello,\nsince this morning the VPN says authentication failed. Ref {n}\nThanks",
    ),
    ("", "cant log in, reset link expired again ({n})"),
    ("Question", "Do you offer a discount for annual plans? We are a team of {n}."),
    (
        "Export broken",
        "Dear support,\n\nThe CSV export on the reports page fails with error 500 for our whole "
        "team since the update. We need the numbers for a board meeting tomorrow morning.\n\n"
        "Kind regards,\nOps ({n})",
    ),
    ("", "my claim {n} was rejected and nobody tells me why"),
]


def body(n: int) -> dict[str, str]:
    title, description = TEXTS[n % len(TEXTS)]
    return {"title": title, "description": description.format(n=n)}


async def load(url: str, clients: int, calls: int) -> tuple[list[float], list[float], float]:
    latencies: list[float] = []
    server_ms: list[float] = []
    counter = iter(range(calls))

    async def client(http: httpx.AsyncClient) -> None:
        for n in counter:
            started = time.perf_counter()
            response = await http.post("/api/tickets/classify/", json=body(n + 10_000))
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            server_ms.append(float(response.json()["latency_ms"]))

    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        for n in range(40):  # warm-up: every worker process loads the model
            (await http.post("/api/tickets/classify/", json=body(n))).raise_for_status()
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return latencies, server_ms, elapsed


def profile(env: dict[str, str]) -> str:
    """Where one prediction's time goes, in-process (median of 300 calls per part)."""
    code = r"""
import os, statistics, sys, time
sys.path.insert(0, "backend")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
import sklearn
from triage import chain, store
from triage.classifier import _transform
texts = [f"cant log in, reset link expired again ({n})" for n in range(300)]
model = store.load_current().model
def med(fn):
    times = []
    for t in texts:
        s = time.perf_counter(); fn(t); times.append((time.perf_counter() - s) * 1000)
    return statistics.median(times)
parts = {}
with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
    for name, vec in model.category.features.transformer_list:
        parts[f"seed features: {name}"] = med(lambda t: vec.transform([t]))
    m = model.category.extract([texts[0]])
    parts["seed classifiers (category + priority, cues)"] = med(
        lambda t: (model.category.predict_proba([t], m), model.priority.predict_proba([t], m))
    )
    for label in ("category", "priority"):
        org = getattr(model, label).org
        if org is not None:
            parts[f"organisation model ({label})"] = med(
                lambda t: org.classifier.predict_proba(_transform(org.features, [t]))
            )
parts["model.predict (all of it)"] = med(lambda t: model.predict(t))
parts["chain.classify (provider, cache miss)"] = med(lambda t: chain.classify(description=t + " x"))
for k, v in parts.items():
    print(f"| {k} | {v:.2f} |")
"""
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def scratch_env(var_dir: Path) -> dict[str, str]:
    """A server's environment: SQLite and models under `var_dir`, no key (the default chain
    without the LLM), rate limits off; migrated and with a model trained (if missing)."""
    env = {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'db.sqlite3'}",
        "APP_ENV": "development",
        "RATE_LIMIT_CREATE": "off",
        "RATE_LIMIT_CLASSIFY": "off",
        "LOG_LEVEL": "WARNING",
        "OPENAI_API_KEY": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("TRIAGE_PROVIDERS", None)
    manage = [str(ROOT / ".venv" / "bin" / "python"), "backend/manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "train_triage", "--if-missing"], env=env, cwd=ROOT, check=True)
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--calls", type=int, default=800)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--var-dir", type=Path, help="keep the model here (default: a temp dir)")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="triage-http-"))
    env = scratch_env(var_dir)
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with server(env, args.workers, startup_timeout=600) as url:
        latencies, server_ms, elapsed = asyncio.run(load(url, args.clients, args.calls))
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    figures = {
        "clients": args.clients,
        "workers": args.workers,
        "calls": len(latencies),
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "mean_ms": round(statistics.mean(latencies), 2),
        "server_chain_p50_ms": round(percentile(server_ms, 0.5), 2),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "load_before": load_before,
        "load_after": load_after,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        **machine(),
    }
    parts = profile(env)
    print(json.dumps(figures, indent=2))
    print("\n| part of one prediction (in-process) | median ms |\n| --- | --- |")
    print(parts)
    if args.record:
        RESULT.parent.mkdir(exist_ok=True)
        RESULT.write_text(json.dumps({**figures, "profile": parts}, indent=2) + "\n")
        section = (
            f"Measured {figures['when']} on {figures.get('cpu', '?')}, load average "
            f"{load_before} before and {load_after} after (other jobs share the machine); "
            f"uvicorn, {args.workers} worker processes, SQLite, no API key.\n\n"
            "| clients | calls | p50 ms | p95 ms | mean ms | chain p50 ms (server) | req/s |\n"
            "| --- | --- | --- | --- | --- | --- | --- |\n"
            f"| {args.clients} | {figures['calls']} | {figures['p50_ms']} | {figures['p95_ms']} "
            f"| {figures['mean_ms']} | {figures['server_chain_p50_ms']} "
            f"| {figures['throughput_rps']} |\n\n"
            "| part of one prediction (in-process) | median ms |\n| --- | --- |\n" + parts
        )
        write_markdown(section, START, END)


if __name__ == "__main__":
    main()
