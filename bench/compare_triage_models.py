"""Which local model recipe to ship, by 5-fold cross-validation on the seed corpus.

The public evaluation sets are not used here: choosing a recipe by its score on them would be
training on them by another name. Run from the repository root:

    .venv/bin/python bench/compare_triage_models.py

Prints category macro-F1, priority macro-F1 and quadratic weighted kappa (out of fold), fit
seconds per fold and single-ticket predict milliseconds (median) for each recipe.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "backend"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.naive_bayes import ComplementNB  # noqa: E402

from triage.classifier import ScaledLinearSVC, UrgencyCues, text_features  # noqa: E402
from triage.labels import PRIORITIES  # noqa: E402
from triage.learning.training import seed_examples  # noqa: E402
from triage.metrics import priority_qwk  # noqa: E402

ORDER = np.arange(len(PRIORITIES))


def words() -> Any:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_df=0.9)


def chars() -> Any:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)


def argmax(model: Any, matrix: Any) -> list[str]:
    return list(model.classes_[model.predict_proba(matrix).argmax(axis=1)])


def expected(model: Any, matrix: Any) -> list[str]:
    """The priority nearest the probability-weighted mean (minimum expected squared error)."""
    ranks = np.array([PRIORITIES.index(label) for label in model.classes_])
    mean = model.predict_proba(matrix) @ ranks
    return [PRIORITIES[int(index)] for index in np.clip(np.rint(mean), 0, len(PRIORITIES) - 1)]


# name -> (features factory, use urgency cues for priority, classifier factory, priority decoder)
RECIPES: dict[str, tuple[Callable[[], Any], bool, Callable[[], Any], Callable[..., list[str]]]] = {
    "words, SVM": (words, False, ScaledLinearSVC, argmax),
    "chars, SVM": (chars, False, ScaledLinearSVC, argmax),
    "words+chars, SVM": (text_features, False, ScaledLinearSVC, argmax),
    "words+chars+cues, SVM (shipped)": (text_features, True, ScaledLinearSVC, argmax),
    "words+chars+cues, SVM, expected priority": (text_features, True, ScaledLinearSVC, expected),
    "words+chars+cues, logistic regression": (
        text_features,
        True,
        lambda: LogisticRegression(C=10, max_iter=2000),
        argmax,
    ),
    "words+chars, complement naive Bayes": (
        text_features,
        False,
        lambda: ComplementNB(alpha=0.3),
        argmax,
    ),
}


def cross_validate(
    texts: np.ndarray,
    categories: np.ndarray,
    priorities: np.ndarray | None,
    recipes: dict[str, Any],
    folds: int = 5,
) -> None:
    """Print out-of-fold figures for each recipe; priority columns only when `priorities`."""
    strata = categories if priorities is None else categories + priorities
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, strata))
    print(f"{len(texts)} examples, {folds} folds")
    print(f"{'recipe':44} {'cat F1':>7} {'pri F1':>7} {'pri QWK':>7} {'fit s':>6} {'ms':>6}")
    cues = UrgencyCues()
    for name, (features, use_cues, classifier, decode) in recipes.items():
        category_out = np.empty(len(texts), dtype=object)
        priority_out = np.empty(len(texts), dtype=object)
        fit_seconds = []
        priority_model = None
        for train, test in splits:
            started = time.perf_counter()
            vectorizer = features().fit(texts[train])
            train_matrix, test_matrix = (
                vectorizer.transform(texts[train]),
                vectorizer.transform(texts[test]),
            )
            category_model = classifier().fit(train_matrix, categories[train])
            category_out[test] = argmax(category_model, test_matrix)
            if use_cues:
                train_matrix = sp.hstack([train_matrix, cues.transform(texts[train])], "csr")
                test_matrix = sp.hstack([test_matrix, cues.transform(texts[test])], "csr")
            if priorities is not None:
                priority_model = classifier().fit(train_matrix, priorities[train])
                priority_out[test] = decode(priority_model, test_matrix)
            fit_seconds.append(time.perf_counter() - started)
        latency = []
        for text in texts[:200]:
            started = time.perf_counter()
            matrix = vectorizer.transform([text])
            category_model.predict_proba(matrix)
            if priority_model is not None:
                if use_cues:
                    matrix = sp.hstack([matrix, cues.transform([text])], "csr")
                priority_model.predict_proba(matrix)
            latency.append((time.perf_counter() - started) * 1000)
        category_f1 = f1_score(categories, category_out.astype(str), average="macro")
        if priorities is None:
            priority_columns = f" {'-':>7} {'-':>7}"
        else:
            priority_f1 = f1_score(priorities, priority_out.astype(str), average="macro")
            qwk = priority_qwk(list(priorities), list(priority_out))
            priority_columns = f" {priority_f1:7.3f} {qwk:7.3f}"
        print(
            f"{name:44} {category_f1:7.3f}{priority_columns}"
            f" {statistics.mean(fit_seconds):6.1f} {statistics.median(latency):6.2f}"
        )


def main() -> None:
    examples = seed_examples()
    cross_validate(
        np.array([example.text for example in examples], dtype=object),
        np.array([example.category for example in examples]),
        np.array([example.priority for example in examples]),
        RECIPES,
    )


if __name__ == "__main__":
    main()
