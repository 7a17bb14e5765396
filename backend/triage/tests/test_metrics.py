"""Scores used by the promotion guard and the evaluation command."""

from __future__ import annotations

import pytest

from triage.labels import CATEGORIES
from triage.metrics import label_report, priority_qwk


def test_perfect_and_reversed_priorities() -> None:
    truth = ["low", "medium", "high", "critical"]

    assert priority_qwk(truth, truth) == pytest.approx(1.0)
    assert priority_qwk(truth, list(reversed(truth))) < 0


def test_near_misses_cost_less_than_far_ones() -> None:
    truth = ["low", "medium", "high", "high"]

    near = priority_qwk(truth, ["low", "medium", "critical", "critical"])
    far = priority_qwk(truth, ["low", "medium", "low", "low"])

    assert near > far


def test_a_declined_row_counts_as_wrong() -> None:
    report = label_report(["billing", "account"], ["billing", "(declined)"], CATEGORIES)

    assert report["accuracy"] == 0.5
    assert report["per_label"]["account"]["recall"] == 0.0
    assert report["per_label"]["billing"]["precision"] == 1.0


def test_macro_f1_averages_only_labels_present_in_the_truth() -> None:
    report = label_report(["billing", "account"], ["billing", "account"], CATEGORIES)

    assert report["macro_f1"] == 1.0
    assert report["confusion"][0] == [1, 0, 0, 0]
