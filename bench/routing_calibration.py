"""How sure is the local model when it is right? The figures behind `ROUTING_MIN_CONFIDENCE`.

Routing puts a ticket in a team's queue (and in front of one agent) on triage's word. A wrong
category sends it to the wrong people, who must notice and pass it on; a held-back ticket waits
for a person to route it. This trains the shipped local model on the seed corpus only (as a fresh
install does), predicts every row of the evaluation sets, and for each threshold prints the share
of tickets routed (confidence at or above it), the category accuracy of those, and of the rest.
The confidence is the ticket's `triage_confidence`: the weaker of the category and priority
confidences, which is what routing reads.

Evaluation only: the sets are never trained on (their README asks it). Run from the repo root:

    .venv/bin/python bench/routing_calibration.py ../shared/data/triage-eval/*.csv
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from triage.classifier import TriageModel, join_text  # noqa: E402
from triage.evaluation import load_rows  # noqa: E402
from triage.learning.training import seed_examples  # noqa: E402

THRESHOLDS = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, nargs="+")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    model = TriageModel.fit(seed_examples())
    figures: dict[str, list[dict[str, float]]] = {}
    for path in args.csv:
        rows = load_rows(path)
        predictions = model.predict_many([join_text(r.title, r.description) for r in rows])
        pairs = [
            (min(p.category_confidence, p.priority_confidence), p.category == r.category)
            for p, r in zip(predictions, rows, strict=True)
        ]
        confidences = sorted(c for c, _ in pairs)
        quartiles = [round(confidences[int(len(confidences) * q)], 3) for q in (0.25, 0.5, 0.75)]
        print(f"\n{path.name}: {len(rows)} rows, confidence quartiles {quartiles}")
        print("threshold  routed  acc(routed)  acc(held back)")
        table = []
        for threshold in THRESHOLDS:
            routed = [ok for c, ok in pairs if c >= threshold]
            held = [ok for c, ok in pairs if c < threshold]
            row = {
                "threshold": threshold,
                "routed": len(routed) / len(pairs),
                "accuracy_routed": sum(routed) / len(routed) if routed else 0.0,
                "accuracy_held": sum(held) / len(held) if held else 0.0,
            }
            table.append(row)
            print(
                f"{threshold:9.2f}  {row['routed']:6.1%}  {row['accuracy_routed']:11.1%}"
                f"  {row['accuracy_held']:14.1%}"
            )
        figures[path.name] = table
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
