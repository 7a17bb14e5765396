"""How far can text take a classifier on an evaluation set? An upper bound, not a product figure.

Trains each recipe on four fifths of the evaluation set itself and scores it on the fifth it did
not see (5-fold cross-validation, stratified by category and priority). That is the most any
model of this kind could reach if an organisation had labelled about a thousand tickets exactly
like these, so a target above it is out of reach for a model that never sees the set. Nothing
here is written anywhere or shipped: the set is used for measuring only, as its README asks.

Run from the repository root:

    .venv/bin/python bench/triage_ceiling.py ../shared/data/triage-eval/tickets_v4.csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_triage_models import RECIPES, cross_validate

from triage.evaluation import load_rows

CEILING_RECIPES = (
    "words, SVM",
    "words+chars+cues, SVM (shipped)",
    "words+chars+cues, SVM, expected priority",
    "words+chars+cues, logistic regression",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path, help="an evaluation CSV (text or title+description)")
    args = parser.parse_args()
    rows = load_rows(args.csv)
    priorities = [row.priority for row in rows]
    cross_validate(
        np.array([f"{row.title}\n{row.description}".strip() for row in rows], dtype=object),
        np.array([row.category for row in rows]),
        np.array(priorities) if all(priorities) else None,
        {name: RECIPES[name] for name in CEILING_RECIPES},
    )


if __name__ == "__main__":
    main()
