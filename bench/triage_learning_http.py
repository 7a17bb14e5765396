"""The learning curve through the product's own path, over HTTP: an organisation files tickets
with the labels its people chose (`POST /api/tickets/`), the worker (`manage.py db_worker`)
retrains by itself every `TRIAGE_RETRAIN_EVERY` labels with its promotion guard, and
`POST /api/tickets/classify/` is scored on held-out rows of the same organisation, a fresh
slice at each step. Beside it, a plain TF-IDF + logistic regression trained from scratch on the
same labels only (the baseline the organisation's own labels should beat).

The organisation is a labelled CSV (`text` or `title`+`description`, `category`, `priority`).
Nothing here changes the shipped model: a scratch `VAR_DIR` holds the database and the models.
If an evaluation set is used as the organisation, only its held-out slices are scored, and no
recipe choice may be made from the result.

    .venv/bin/python bench/triage_learning_http.py --csv ORG.csv [--steps 50,200,500] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, server, write_markdown
from triage_http import scratch_env

RESULTS = ROOT / "bench" / "results"
START, END = "<!-- triage-learning:start -->", "<!-- triage-learning:end -->"
CATEGORIES = ("billing", "technical", "account", "general")
PRIORITIES = ("low", "medium", "high", "critical")


def read_rows(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(newline="", encoding="utf-8") as handle:
        rows = []
        for record in csv.DictReader(handle):
            title = (record.get("title") or "").strip()
            description = (record.get("text") or record.get("description") or "").strip()
            rows.append(
                {
                    "title": title,
                    "description": description,
                    "category": record["category"].strip(),
                    "priority": (record.get("priority") or "").strip(),
                }
            )
    return rows


def macro_f1(truth: list[str], predicted: list[str], labels: tuple[str, ...]) -> float:
    scores = []
    for label in labels:
        tp = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == label)
        fp = sum(1 for t, p in zip(truth, predicted, strict=True) if p == label != t)
        fn = sum(1 for t, p in zip(truth, predicted, strict=True) if t == label != p)
        if tp + fp + fn == 0:
            continue  # a label neither present nor predicted does not count
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores)


def qwk(truth: list[str], predicted: list[str]) -> float:
    """Quadratic weighted kappa over the ordered priorities (as `triage.metrics.priority_qwk`)."""
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(truth, predicted, labels=list(PRIORITIES), weights="quadratic"))


def ticket_body(row: dict[str, str]) -> dict[str, str]:
    title = row["title"] or " ".join(row["description"].split()[:8])
    body = {"title": title[:200], "description": row["description"][:9000] or title}
    body["category"] = row["category"]
    if row["priority"]:
        body["priority"] = row["priority"]
    return body


@contextlib.contextmanager
def worker(env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "backend/manage.py", "db_worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


async def post_all(url: str, path: str, bodies: list[dict[str, str]]) -> list[dict[str, object]]:
    answers: list[dict[str, object]] = [{} for _ in bodies]
    todo = iter(range(len(bodies)))

    async def client(http: httpx.AsyncClient) -> None:
        for i in todo:
            for attempt in range(30):
                response = await http.post(path, json=bodies[i])
                # SQLite answers "locked" while the worker writes a retrain's outcome: the API
                # says 503, retry shortly. Waiting counts against nothing measured here.
                if response.status_code != 503:
                    break
                await asyncio.sleep(0.2 * (attempt + 1))
            if response.status_code not in (200, 201):
                raise SystemExit(f"{path}: {response.status_code} {response.text[:300]}")
            answers[i] = response.json()

    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await asyncio.gather(*(client(http) for _ in range(4)))
    return answers


def wait_for_worker(url: str, model_dir: Path, labelled: int, timeout: float) -> dict[str, object]:
    """Until nothing is pending past the threshold and no retrain is queued; returns the status."""
    deadline = time.monotonic() + timeout
    while True:
        status = httpx.get(f"{url}/api/triage/status/", timeout=10).json()["learning"]
        if (
            not status["retrain_queued"]
            and status["labels_since_training"] < status["retrain_every"]
        ):
            return dict(status)
        if time.monotonic() > deadline:
            raise SystemExit(f"stalled after {labelled} labels: {status}")
        time.sleep(1)


def org_only_baseline(pool: list[dict[str, str]], test: list[dict[str, str]]) -> float | None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = [row["category"] for row in pool]
    if len(set(labels)) < 2:
        return None
    texts = [f"{r['title']}\n{r['description']}" for r in pool]
    vectorizer = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2))
    model = LogisticRegression(max_iter=2000).fit(vectorizer.fit_transform(texts), labels)
    predicted = model.predict(
        vectorizer.transform([f"{r['title']}\n{r['description']}" for r in test])
    )
    return macro_f1([r["category"] for r in test], [str(p) for p in predicted], CATEGORIES)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--steps", default="50,200,500")
    parser.add_argument("--slice", type=int, default=200, help="held-out rows scored per step")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument(
        "--models-from",
        type=Path,
        help="copy this model directory (the shipped model, trained by the same code) instead of "
        "training one: saves minutes on a loaded machine",
    )
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    steps = [0, *sorted(int(s) for s in args.steps.split(","))]
    rows = read_rows(args.csv)
    random.Random(args.seed).shuffle(rows)
    pool, rest = rows[: steps[-1]], rows[steps[-1] :]
    size = min(args.slice, len(rest) // len(steps))
    slices = [rest[i * size : (i + 1) * size] for i in range(len(steps))]

    var_dir = Path(tempfile.mkdtemp(prefix="triage-learning-"))
    if args.models_from:
        shutil.copytree(args.models_from, var_dir / "models")
    env = scratch_env(var_dir)
    model_dir = var_dir / "models"
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    points = []
    started = time.perf_counter()
    with server(env, 1, startup_timeout=600) as url, worker(env):
        filed = 0
        for step, test in zip(steps, slices, strict=True):
            if step > filed:
                asyncio.run(
                    post_all(url, "/api/tickets/", [ticket_body(r) for r in pool[filed:step]])
                )
                filed = step
            status = wait_for_worker(url, model_dir, step, timeout=900)
            pointer = json.loads((model_dir / "current.json").read_text())
            answers = asyncio.run(
                post_all(
                    url,
                    "/api/tickets/classify/",
                    [{"title": r["title"], "description": r["description"][:9000]} for r in test],
                )
            )
            cat = macro_f1(
                [r["category"] for r in test],
                [str(a["suggested_category"]) for a in answers],
                CATEGORIES,
            )
            with_priority = [(r, a) for r, a in zip(test, answers, strict=True) if r["priority"]]
            point = {
                "labels": step,
                "in_live_model": {
                    label: pointer["heads"][label]["examples"]["human"]
                    for label in ("category", "priority")
                },
                "category_macro_f1": round(cat, 3),
                "priority_qwk": round(
                    qwk(
                        [r["priority"] for r, _ in with_priority],
                        [str(a["suggested_priority"]) for _, a in with_priority],
                    ),
                    3,
                )
                if with_priority
                else None,
                "org_only_tfidf_lr": None
                if step == 0
                else round(org_only_baseline(pool[:step], test) or 0, 3),
                "scored_rows": len(test),
                "status": {k: status[k] for k in ("labels_since_training", "retrain_queued")},
                "live_version": pointer["version"],
            }
            points.append(point)
            print(json.dumps(point), flush=True)
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    result = {
        "organisation": args.csv.name,
        "steps": points,
        "seconds": round(time.perf_counter() - started),
        "load_before": load_before,
        "load_after": load_after,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    if args.record:
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"triage-learning-{args.csv.stem}.json").write_text(
            json.dumps(result, indent=2) + "\n"
        )
        lines = [
            f"Organisation: `{args.csv.name}` ({len(pool)} rows to label, {size} held-out rows "
            f"scored per step, a fresh slice each time). Measured {result['when']}, "
            f"{result['seconds']} s, load average {load_before} before, {load_after} after.\n",
            "| labels filed | people's labels in the live model (category / priority) "
            "| category macro-F1 | priority QWK | TF-IDF+LR on the labels only |",
            "| --- | --- | --- | --- | --- |",
        ]
        for p in points:
            live = p["in_live_model"]
            lines.append(
                f"| {p['labels']} | {live['category']} / {live['priority']} "
                f"| {p['category_macro_f1']} | {p['priority_qwk']} "
                f"| {p['org_only_tfidf_lr'] or ''} |"
            )
        marks = (
            START.replace(":start", f"-{args.csv.stem}:start"),
            END.replace(":end", f"-{args.csv.stem}:end"),
        )
        write_markdown("\n".join(lines), *marks)


if __name__ == "__main__":
    main()
