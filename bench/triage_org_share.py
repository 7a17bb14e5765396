"""The organisation's own model's share, chosen by cross-validation, on a seed file playing the
organisation (no evaluation set is read here): its rows arrive as people's labels (n at a time),
the rest of the file is scored. The rest of the seed corpus is the seed.

Per point, one `training.fit_candidate` (as a retrain fits it), scored on the rest of the file
with the share each rule below chooses from the same out-of-fold predictions:

- `top`: the share with the best out-of-fold figure (`OutOfFold.top_share`, what a retrain
  used before);
- `margin`: the smallest share within `noise_margin(n)` of the best;
- `fold SE`: the smallest within one standard error of the best share's figure across folds;
- `paired`: the smallest whose shortfall from the best is within one standard error of that
  difference over bootstrap resamples of the rows;
- `shipped`: what a retrain uses now (`OutOfFold.best_share`): the best of the shares that beat
  share 0 by more than one bootstrap standard error of that difference, else 0;

and with share 0 (the seed-trained classifier alone), 1 (the organisation's model alone) and
the default n / (n + TRIAGE_ORG_HALF). "After the guard" is what would answer once the guard
(`training.judge`, `training.goes_live`) compares that candidate with a live model trained on
the seed alone (day 0): per label, the candidate's if it goes live, else the live model's.
`--flip F` replaces a fraction F of the people's labels with another value at random (noisy
labels; the scored rows keep theirs).

    .venv/bin/python bench/triage_org_share.py [--orgs emails.csv+business.csv,...] [--flip 0.2]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import random
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.conf import settings
from triage_register_out import by_file, scores

from triage.classifier import Example, TriageModel
from triage.labels import CATEGORIES, LABELS, PRIORITIES
from triage.learning import training

Rule = Callable[[training.OutOfFold, list[Example]], float]


def fold_se(oof: training.OutOfFold, examples: list[Example]) -> float:
    """One standard error of the best share's figure across the folds."""
    top = oof.top_share()
    folds = settings.TRIAGE_GUARD_FOLDS
    by_fold = [
        [i for i in oof.rows if training.fold_of(examples[i], folds) == fold]
        for fold in range(folds)
    ]
    figures = [oof.figure(top, rows) for rows in by_fold if rows]
    return float(np.std(figures, ddof=1) / np.sqrt(len(figures)))


def paired(oof: training.OutOfFold, draws: int = 200) -> float:
    """The smallest share whose shortfall from the best is within one bootstrap standard error
    of the paired difference."""
    rng = np.random.default_rng(0)
    truth = np.asarray(oof.truth)
    predicted = {share: np.asarray(oof.predicted(share)) for share in training.ORG_SHARES}
    top = oof.top_share()
    samples = rng.integers(0, len(truth), size=(draws, len(truth)))
    top_figures = [training.score(oof.label, truth[s], predicted[top][s]) for s in samples]
    for share in training.ORG_SHARES:
        if share == top:
            return share
        shortfall = oof.figure(top) - oof.figure(share)
        differences = [
            best - training.score(oof.label, truth[s], predicted[share][s])
            for best, s in zip(top_figures, samples, strict=True)
        ]
        if shortfall <= float(np.std(differences)):
            return share
    return top


def within(oof: training.OutOfFold, tolerance: float) -> float:
    """The smallest share whose out-of-fold figure is at most `tolerance` under the best's."""
    figures = {share: round(oof.figure(share), 6) for share in training.ORG_SHARES}
    return min(share for share, f in figures.items() if f >= max(figures.values()) - tolerance)


RULES: dict[str, Rule] = {
    "top": lambda oof, _: oof.top_share(),
    "margin": lambda oof, _: within(oof, training.noise_margin(len(oof.rows))),
    "fold SE": lambda oof, examples: within(oof, fold_se(oof, examples)),
    "paired": lambda oof, _: paired(oof),
    "shipped": lambda oof, _: oof.best_share(),
}
FIGURE = {"category": "category_macro_f1", "priority": "priority_qwk"}


def flipped(rows: list[Example], fraction: float) -> list[Example]:
    rng = random.Random(11)
    out = []
    for example in rows:
        if rng.random() < fraction:
            category = rng.choice([c for c in CATEGORIES if c != example.category])
            priority = rng.choice([p for p in PRIORITIES if p != example.priority])
            example = dataclasses.replace(example, category=category, priority=priority)
        out.append(example)
    return out


def test_figures(model: TriageModel, test: list[Example]) -> dict[str, float | None]:
    return scores(
        test, [(p.category, p.priority) for p in model.predict_many([e.text for e in test])]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--orgs",
        default="emails.csv+business.csv+advice.csv,account.csv+billing.csv+general.csv+technical.csv",
        help="comma-separated organisations, each one or more seed files joined by +",
    )
    parser.add_argument("--steps", default="50,200,500")
    parser.add_argument("--flip", type=float, default=0.0)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--dump", type=Path, help="a directory for each point's figures (pickle)")
    args = parser.parse_args()
    steps = [int(step) for step in args.steps.split(",")]
    files = by_file()
    names = list(RULES)
    print(
        "| org | labels | "
        + " | ".join(f"{name}: share, figure" for name in names)
        + " | share 0 | share 1 | default share | day 0 (live) | "
        + " | ".join(f"after guard, {name}" for name in names)
        + " | seconds |\n"
        + "| --- " * (2 + 2 * len(names) + 5)
        + "|"
    )
    result = {}
    for org_file in args.orgs.split(","):
        left = org_file.split("+")
        rows = [e for name in left for e in files[name]]
        random.Random(7).shuffle(rows)
        test = rows[max(steps) :]
        rest = [e for f, r in files.items() if f not in left for e in r]
        live = training.fit_candidate(rest).bundle
        day0 = test_figures(live.model, test)
        for n in steps:
            people = [
                dataclasses.replace(e, weight=settings.TRIAGE_HUMAN_WEIGHT, source="human")
                for e in flipped(rows[:n], args.flip)
            ]
            started = time.perf_counter()
            candidate = training.fit_candidate(rest + people)
            seconds = time.perf_counter() - started
            model = candidate.bundle.model
            default = n / (n + settings.TRIAGE_ORG_HALF)
            by_share = {
                share: test_figures(
                    training.with_org_shares(model, {"category": share, "priority": share}), test
                )
                for share in (*training.ORG_SHARES, default)
            }
            point: dict[str, object] = {
                "seconds": round(seconds),
                "day0": day0,
                "test_by_share": {str(s): f for s, f in by_share.items()},
                "oof_by_share": {
                    label: {str(s): round(oof.figure(s), 4) for s in training.ORG_SHARES}
                    for label, oof in candidate.out_of_fold.items()
                },
            }
            cells, guard_cells = [], []
            for name, rule in RULES.items():
                shares = {
                    label: rule(oof, candidate.examples)
                    for label, oof in candidate.out_of_fold.items()
                }
                heads = {
                    label: {**head, "org_share": shares.get(label, head.get("org_share", 0.0))}
                    for label, head in candidate.bundle.meta["heads"].items()
                }
                meta = {**candidate.bundle.meta, "heads": heads}
                judged = training.judge(
                    dataclasses.replace(
                        candidate, bundle=dataclasses.replace(candidate.bundle, meta=meta)
                    ),
                    live,
                )
                live_labels = [label for label in LABELS if training.goes_live(judged[label])]
                figures = {
                    FIGURE[label]: by_share[shares.get(label, default)][FIGURE[label]]
                    for label in LABELS
                }
                after = {
                    FIGURE[label]: (figures if label in live_labels else day0)[FIGURE[label]]
                    for label in LABELS
                }
                judged_live = {label: judged[label]["live"] for label in LABELS}
                point[name] = {
                    "shares": shares,
                    "test": figures,
                    "promoted": live_labels,
                    "after_guard": after,
                    "guard": judged,
                }
                share_cell = " / ".join(str(shares.get(label, "-")) for label in LABELS)
                cells.append(
                    f"{share_cell}: {figures['category_macro_f1']:.3f} / "
                    f"{figures['priority_qwk']:.3f}"
                )
                guard_cells.append(
                    f"{after['category_macro_f1']:.3f} / {after['priority_qwk']:.3f} "
                    f"({'+'.join(label[0] for label in live_labels) or 'none'})"
                )
            result[f"{org_file}:{n}"] = point
            if args.dump:
                with (args.dump / f"{org_file}-{n}-{args.flip}.pickle").open("wb") as handle:
                    pickle.dump(
                        {
                            "out_of_fold": candidate.out_of_fold,
                            "by_share": by_share,
                            "day0": day0,
                            "live_on_people": {
                                label: judged_live[label] for label in candidate.out_of_fold
                            },
                        },
                        handle,
                    )
            fixed = " | ".join(
                f"{by_share[s]['category_macro_f1']:.3f} / {by_share[s]['priority_qwk']:.3f}"
                for s in (0.0, 1.0, default)
            )
            print(
                f"| {org_file} | {n} | {' | '.join(cells)} | {fixed} | "
                f"{day0['category_macro_f1']:.3f} / {day0['priority_qwk']:.3f} | "
                f"{' | '.join(guard_cells)} | {seconds:.0f} |",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
