"""Out-of-style checks on the seed corpus alone (no evaluation set is read here).

1. Leave one register out: train the shipped recipe without one seed file (or group of files)
   and score it on that file: a model that learned the task, not one file's style, holds up.
   Keyword rules are scored on the same rows. Then the model trained on the whole seed corpus
   is scored on public text it never learns from (`bench/data/public_*.csv`, built by
   `scripts/build_public_checks.py`; category only, they have no priority).
2. An organisation simulated by a left-out file: its rows arrive as people's labels (n at a
   time), the rest of the file is scored. Compares the seed model with people's labels weighted
   in (`org_half=0`, the previous recipe), the blend with a model of the organisation's own
   labels for several `org_half`, and a plain TF-IDF + logistic regression on the labels alone.
   This is what `TRIAGE_ORG_HALF` was chosen on, never on an evaluation set.

    .venv/bin/python bench/triage_register_out.py [--json bench/results/triage-register-out.json]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from triage import classifier  # noqa: E402
from triage.classifier import Example, OrgHead, TriageModel  # noqa: E402
from triage.labels import CATEGORIES  # noqa: E402
from triage.learning.training import seed_examples  # noqa: E402
from triage.metrics import label_report, priority_qwk  # noqa: E402
from triage.providers.base import TicketText  # noqa: E402
from triage.providers.rules import RulesProvider  # noqa: E402

SEED = ROOT / "backend" / "triage" / "seed"
# Registers: a file of its own style, or the short one-category chat files together.
REGISTERS: dict[str, tuple[str, ...]] = {
    "chat one-liners (account/billing/general/technical.csv)": (
        "account.csv",
        "billing.csv",
        "general.csv",
        "technical.csv",
    ),
    "formal emails (emails.csv)": ("emails.csv",),
    "banking-app messages (fintech.csv)": ("fintech.csv",),
    "business letters (business.csv)": ("business.csv",),
    "mixed industries and registers (varied.csv)": ("varied.csv",),
    "insurance customers: chat and letters (insurance.csv)": ("insurance.csv",),
    "internal IT and HR helpdesk emails and tickets (helpdesk.csv)": ("helpdesk.csv",),
    "many industries: chat, non-native English, forwarded mail (industries.csv)": (
        "industries.csv",
    ),
}
# Public text the model never learns from (`scripts/build_public_checks.py`, credits in the
# README): scored by the model trained on the whole seed corpus, and by the rules.
PUBLIC_CHECKS: dict[str, str] = {
    "public: CLINC150 requests (crowd-written, CC BY 3.0)": "public_clinc150.csv",
    "public: Stack Exchange question titles (real users, CC BY-SA 3.0)": (
        "public_stackexchange.csv"
    ),
}
PUBLIC_DIR = ROOT / "bench" / "data"
ORG_FILES = ("emails.csv", "fintech.csv")
HALVES = (0.0, 25.0, 50.0, 100.0, 200.0)
STEPS = (50, 100, 200)


def by_file() -> dict[str, list[Example]]:
    files = {}
    for path in sorted(SEED.glob("*.csv")):
        tmp = Path(os.environ.get("TMPDIR", "/tmp")) / "register-out"
        tmp.mkdir(exist_ok=True)
        for old in tmp.glob("*.csv"):
            old.unlink()
        (tmp / path.name).write_bytes(path.read_bytes())
        files[path.name] = seed_examples(tmp)
    return files


def public_rows(path: Path) -> list[Example]:
    """A public check set: text and category; no priority (the sets say nothing of urgency)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Example(row["title"], row["description"], row["category"], row["priority"] or None)
            for row in csv.DictReader(handle)
        ]


def scores(truth_rows: list[Example], predicted: list[tuple[str, str]]) -> dict[str, float | None]:
    """Category macro-F1, and priority QWK over the rows that have a priority (None if none)."""
    cat = label_report([str(e.category) for e in truth_rows], [p[0] for p in predicted], CATEGORIES)
    pairs = [
        (str(e.priority), p[1]) for e, p in zip(truth_rows, predicted, strict=True) if e.priority
    ]
    qwk = priority_qwk([t for t, _ in pairs], [p for _, p in pairs]) if pairs else None
    return {
        "category_macro_f1": round(cat["macro_f1"], 3),
        "priority_qwk": None if qwk is None else round(qwk, 3),
    }


def cell(figures: dict[str, float | None]) -> str:
    qwk = figures["priority_qwk"]
    return f"{figures['category_macro_f1']:.3f} / " + ("n/a" if qwk is None else f"{qwk:.3f}")


def model_answers(model: TriageModel, rows: list[Example]) -> list[tuple[str, str]]:
    texts = [e.text for e in rows]
    return [(p.category, p.priority) for p in model.predict_many(texts, served=True)]


def rules_answers(rows: list[Example]) -> list[tuple[str, str]]:
    rules = RulesProvider()
    out = []
    for e in rows:
        p = rules.predict(TicketText(e.title, e.description))
        out.append((p.category, p.priority))
    return out


def check(
    name: str, model: TriageModel, plain: TriageModel, test: list[Example]
) -> dict[str, object]:
    """Score the model, the model without keyword cues and the rules on `test`; print a row."""
    figures = [
        scores(test, model_answers(model, test)),
        scores(test, model_answers(plain, test)),
        scores(test, rules_answers(test)),
    ]
    print(f"| {name} | {len(test)} | {' | '.join(cell(x) for x in figures)} |", flush=True)
    return {
        "rows": len(test),
        "model": figures[0],
        "model_without_keyword_cues": figures[1],
        "rules": figures[2],
    }


def with_share(model: TriageModel, half: float) -> TriageModel:
    heads = []
    for head in (model.category, model.priority):
        org = head.org
        if org is not None:
            org = dataclasses.replace(
                org, share=(org.labels / (org.labels + half)) if half else 0.0
            )
        heads.append(dataclasses.replace(head, org=org))
    return TriageModel(heads[0], heads[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-org", action="store_true", help="only the leave-one-out table")
    args = parser.parse_args()
    files = by_file()
    result: dict[str, object] = {}
    print("## Leave one register out (category macro-F1 / priority QWK)\n")
    print(
        "| left out | rows | model | model without keyword cues | rules |\n"
        "| --- | --- | --- | --- | --- |"
    )
    loro: dict[str, object] = {}
    for name, left in REGISTERS.items():
        if not all(f in files for f in left):
            continue  # an older corpus (e.g. measuring "before" a file was added)
        train = [e for f, rows in files.items() if f not in left for e in rows]
        test = [e for f in left for e in files[f]]
        loro[name] = check(
            name, TriageModel.fit(train), TriageModel.fit(train, keyword_cues=False), test
        )
    everything = [e for rows in files.values() for e in rows]
    full = TriageModel.fit(everything)
    full_plain = TriageModel.fit(everything, keyword_cues=False)
    for name, file_name in PUBLIC_CHECKS.items():
        loro[name] = check(name, full, full_plain, public_rows(PUBLIC_DIR / file_name))
    result["leave_one_register_out"] = loro
    if args.no_org:
        if args.json:
            args.json.write_text(json.dumps(result, indent=2))
        return

    print("\n## A seed file as the organisation (category macro-F1 on the file's unseen rows)\n")
    header = " | ".join(
        ["org file", "labels"] + [f"half={h:g}" if h else "weighted only" for h in HALVES]
    )
    print(f"| {header} | org-only TF-IDF+LR |\n|" + " --- |" * (len(HALVES) + 3))
    curve = {}
    for org_file in ORG_FILES:
        rows = list(files[org_file])
        random.Random(7).shuffle(rows)
        test = rows[max(STEPS) :]
        rest = [e for f, r in files.items() if f != org_file for e in r]
        for n in STEPS:
            people = [dataclasses.replace(e, weight=3.0, source="human") for e in rows[:n]]
            started = time.perf_counter()
            base = TriageModel.fit(rest + people, org_half=1.0)
            figures = {}
            for half in HALVES:
                figures[f"{half:g}"] = scores(test, model_answers(with_share(base, half), test))
            org = OrgHead.fit([e.text for e in people], [str(e.category) for e in people], 1.0)
            assert org is not None
            only = org.classifier.predict(
                classifier._transform(org.features, [e.text for e in test])
            )
            figures["org_only"] = scores(test, [(str(c), "medium") for c in only])
            curve[f"{org_file}:{n}"] = figures
            cells = " | ".join(f"{figures[k]['category_macro_f1']:.3f}" for k in figures)
            print(
                f"| {org_file} | {n} | {cells} |  ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    result["organisation"] = curve
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
