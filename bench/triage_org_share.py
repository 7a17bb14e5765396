"""The organisation's own model's share, chosen by cross-validation, on a seed file playing the
organisation (no evaluation set is read here): its rows arrive as people's labels (n at a time),
the rest of the file is scored. The rest of the seed corpus is the seed.

Per point, one `training.fit_candidate` (as a retrain fits it), scored with the share it chose by
cross-validation over the n labels, with the default share n / (n + TRIAGE_ORG_HALF), with the
seed-trained classifier alone (share 0) and the organisation's model alone (share 1).

    .venv/bin/python bench/triage_org_share.py [--orgs emails.csv+business.csv,...]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import time
from pathlib import Path

from django.conf import settings
from triage_register_out import by_file, scores

from triage.learning import training


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--orgs",
        default="emails.csv+business.csv+advice.csv,account.csv+billing.csv+general.csv+technical.csv",
        help="comma-separated organisations, each one or more seed files joined by +",
    )
    parser.add_argument("--steps", default="50,200,500")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    steps = [int(step) for step in args.steps.split(",")]
    files = by_file()
    print(
        "| org file | labels | chosen share (category / priority) | cross-validated share "
        "| default share | seed-trained alone | org model alone | seconds |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    result = {}
    for org_file in args.orgs.split(","):
        left = org_file.split("+")
        rows = [e for name in left for e in files[name]]
        random.Random(7).shuffle(rows)
        test = rows[max(steps) :]
        rest = [e for f, r in files.items() if f not in left for e in r]
        for n in steps:
            people = [
                dataclasses.replace(e, weight=settings.TRIAGE_HUMAN_WEIGHT, source="human")
                for e in rows[:n]
            ]
            started = time.perf_counter()
            candidate = training.fit_candidate(rest + people)
            seconds = time.perf_counter() - started
            model = candidate.bundle.model
            heads = candidate.bundle.meta["heads"]
            default = n / (n + settings.TRIAGE_ORG_HALF)
            variants = {
                "cross_validated": model,
                "default": training.with_org_shares(
                    model, {"category": default, "priority": default}
                ),
                "seed_alone": training.with_org_shares(model, {"category": 0.0, "priority": 0.0}),
                "org_alone": training.with_org_shares(model, {"category": 1.0, "priority": 1.0}),
            }
            figures = {
                name: scores(
                    test, [(p.category, p.priority) for p in m.predict_many([e.text for e in test])]
                )
                for name, m in variants.items()
            }
            chosen = f"{heads['category'].get('org_share')} / {heads['priority'].get('org_share')}"
            result[f"{org_file}:{n}"] = {"chosen": chosen, "seconds": round(seconds), **figures}
            cells = " | ".join(
                f"{f['category_macro_f1']:.3f} / {f['priority_qwk']:.3f}" for f in figures.values()
            )
            print(f"| {org_file} | {n} | {chosen} | {cells} | {seconds:.0f} |", flush=True)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
