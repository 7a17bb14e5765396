"""Scores shared by the promotion guard and the evaluation command."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from sklearn.metrics import (
    accuracy_score,
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from triage.labels import PRIORITIES


class LabelFigures(TypedDict):
    precision: float
    recall: float
    f1: float
    support: float  # a row count, or the rows' summed weight when weights are given


class LabelReport(TypedDict):
    rows: int
    accuracy: float
    macro_f1: float
    per_label: dict[str, LabelFigures]
    confusion: list[list[int]]  # rows: truth, columns: predicted, both in `labels` order


def label_report(
    truth: Sequence[str],
    predicted: Sequence[str],
    labels: Sequence[str],
    weights: Sequence[float] | None = None,
) -> LabelReport:
    """Accuracy, macro-F1 over `labels`, per-label precision/recall/F1/support, confusion matrix.

    A prediction outside `labels` (a provider that declined) counts as wrong for its row's label
    and for no label's precision. Macro-F1 averages only labels present in `truth`, so a set with
    no `critical` rows is not penalised for a label it cannot test.
    """
    present = [label for label in labels if label in set(truth)]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=list(labels), sample_weight=weights, zero_division=0
    )
    return {
        "rows": len(truth),
        "accuracy": float(accuracy_score(truth, predicted, sample_weight=weights)),
        "macro_f1": float(
            f1_score(
                truth,
                predicted,
                labels=present,
                average="macro",
                sample_weight=weights,
                zero_division=0,
            )
        ),
        "per_label": {
            label: {
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]) if weights is None else float(support[i]),
            }
            for i, label in enumerate(labels)
        },
        "confusion": confusion_matrix(truth, predicted, labels=list(labels)).tolist(),
    }


def priority_qwk(
    truth: Sequence[str], predicted: Sequence[str], weights: Sequence[float] | None = None
) -> float:
    """Quadratic weighted kappa on the ordered priorities: calling high "critical" costs less
    than calling it "low". Rows whose prediction is not a priority are skipped."""
    pairs = [
        (PRIORITIES.index(t), PRIORITIES.index(p), w)
        for t, p, w in zip(truth, predicted, weights or [1.0] * len(truth), strict=True)
        if p in PRIORITIES and t in PRIORITIES
    ]
    if len({t for t, _, _ in pairs} | {p for _, p, _ in pairs}) < 2:
        return 0.0
    return float(
        cohen_kappa_score(
            [t for t, _, _ in pairs],
            [p for _, p, _ in pairs],
            labels=list(range(len(PRIORITIES))),
            weights="quadratic",
            sample_weight=[w for _, _, w in pairs],
        )
    )
