"""What the local model learns from, and when a newly trained model may replace the live one.

Training data is the seed corpus (`settings.TRIAGE_SEED_DIR/*.csv`, written by the team) plus
every label a person chose on a ticket (`category_by_human` / `priority_by_human`), weighted
`settings.TRIAGE_HUMAN_WEIGHT` times a seed row. Labels no person chose are never learned from:
the model would otherwise reinforce its own mistakes.

Promotion guard: a stable fifth of all examples (by a hash of the text, so a row stays on its
side across retrains) is held out. Each bundle carries a guard model fitted without that slice.
Each label's classifier is judged on its own: the candidate's category classifier goes live only
if its guard's category macro-F1 on the slice as it is now is no worse than the live guard's, and
likewise its priority classifier on priority quadratic weighted kappa. When only one label
improves, the live model becomes the new classifier for that label beside the old one for the
other. Each label is judged on the people's labels alone once the slice holds
`settings.TRIAGE_GUARD_MIN_HUMAN` of them for that label; until then on seed rows and people's
labels together, the latter weighted as in training.

Cross-validation (`settings.TRIAGE_GUARD_FOLDS`): once a label has `TRIAGE_GUARD_MIN_HUMAN`
people's labels in all, each of them is predicted by a model fitted without its fold (seed rows
always in). The share of the organisation's own model is chosen on those predictions (0 until
some share beats the seed-trained classifier alone by more than the noise of that comparison,
`OutOfFold.best_share`), and the guard compares them with the live guard's answers on every
people's row the live guard never saw (`judge`), instead of on the slice's fifth.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple, Protocol, TypedDict

import numpy as np
import scipy.sparse as sp
import sklearn
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from sklearn.pipeline import FeatureUnion

from tickets.models import Ticket
from triage import store
from triage.classifier import Example, LocalPrediction, TriageModel, fit_text_features
from triage.labels import CATEGORIES, LABELS, PRIORITIES
from triage.metrics import label_report, priority_qwk
from triage.store import ExampleCounts, HeadMeta, HeldOutFigures, JudgedOn, ModelMeta

logger = logging.getLogger(__name__)

HOLDOUT_PERCENT = 20


def margin(judged: JudgedOn) -> float:
    """The guard's tolerance for one label: `noise_margin` when it is judged on people's rows
    alone (a few dozen, noisy), none when judged mostly on seed rows (hundreds in the shipped
    corpus, where a lower figure means the candidate disagrees with the seed corpus)."""
    return round(noise_margin(judged["count"]), 4) if judged["rows"] == "people" else 0.0


def noise_margin(rows: int) -> float:
    """How much lower than the live classifier a candidate may score on `rows` held-out rows
    and still go live: about one standard error of a proportion near 0.75 on that many rows
    (0.43 / sqrt(rows); 0.056 on 60 rows, 0.019 on 500).

    The candidate learned from every label the live one did and more, so a small difference
    on a few dozen people's rows says more about which rows fell in the slice than about the
    models; judging by `>=` alone kept the live model's half for such noise (at 258 labels the
    live category classifier still came from the 169-label fit). A candidate clearly worse (a
    batch of wrong labels) still scores under the margin and is kept out.
    """
    return 0.43 / math.sqrt(max(rows, 1))


class Predictor(Protocol):
    """What `evaluate` needs of a model (`TriageModel` has it)."""

    def predict_many(self, texts: Sequence[str]) -> list[LocalPrediction]: ...


class GuardMeasure(NamedTuple):
    name: str
    figure: Callable[[HeldOutFigures], float]


# What the guard compares for each label, and where `evaluate`'s figures hold it.
GUARD_MEASURES = {
    "category": GuardMeasure("macro_f1", lambda figures: figures["category"]["macro_f1"]),
    "priority": GuardMeasure("qwk", lambda figures: figures["priority"]["qwk"]),
}


class GuardFigures(TypedDict):
    """The guard's verdict material for one label."""

    measure: str
    candidate: float
    live: float | None  # None when there was no live model
    judged_on: JudgedOn
    margin: float  # how far under `live` the candidate may score and still go live (noise)


@dataclass(frozen=True)
class Outcome:
    """What a retrain did.

    `promoted` names the labels whose new classifier went live: both, one, or none (the guard
    kept the live model). `guard` holds, per label, the measure compared and the candidate's and
    the live model's figures (`live` is None when there was no live model).
    `version` is the candidate's; `live_version` is what answers now, which is a new version
    combining both models when only one label was promoted.
    """

    promoted: tuple[str, ...]
    version: str
    live_version: str
    guard: dict[str, GuardFigures]
    metrics: HeldOutFigures
    examples: ExampleCounts
    seconds: float
    notes: tuple[str, ...] = field(default=())


def seed_examples(directory: Path | None = None) -> list[Example]:
    """Every valid row of the seed CSVs (title, description, category, priority).

    Rows with an unknown label or no text are skipped with a warning, not fatal: one typo in a
    hand-written corpus must not stop the product from training.
    """
    examples = []
    for path in sorted(Path(directory or settings.TRIAGE_SEED_DIR).glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                title = (row.get("title") or "").strip()
                description = (row.get("description") or "").strip()
                category, priority = row.get("category"), row.get("priority")
                if not (title or description) or category not in CATEGORIES:
                    logger.warning("seed %s:%d skipped (no text or bad category)", path.name, line)
                    continue
                if priority not in PRIORITIES:
                    logger.warning("seed %s:%d skipped (bad priority)", path.name, line)
                    continue
                examples.append(Example(title, description, category, priority))
    return examples


def labelled_tickets() -> QuerySet[Ticket]:
    """Tickets carrying at least one label a person chose."""
    return Ticket.objects.filter(Q(category_by_human=True) | Q(priority_by_human=True))


def human_examples(tickets: QuerySet[Ticket] | None = None) -> list[Example]:
    """The people's labels; a label the model guessed and nobody confirmed is left as None."""
    queryset = labelled_tickets() if tickets is None else tickets
    rows = queryset.values_list(
        "title", "description", "category", "priority", "category_by_human", "priority_by_human"
    )
    return [
        Example(
            title,
            description,
            category if category_by_human else None,
            priority if priority_by_human else None,
            weight=settings.TRIAGE_HUMAN_WEIGHT,
            source="human",
        )
        for title, description, category, priority, category_by_human, priority_by_human in rows
        if category_by_human or priority_by_human
    ]


def _digest(example: Example) -> bytes:
    """A stable hash of a row's text: the held-out slice, the folds and the fingerprints each
    read their own bytes of it."""
    return hashlib.sha256(example.text.lower().encode()).digest()


def is_held_out(example: Example) -> bool:
    return int.from_bytes(_digest(example)[:4], "big") % 100 < HOLDOUT_PERCENT


def judged_rows(
    examples: Sequence[Example], label: str
) -> tuple[list[int], Literal["people", "all"]]:
    """Which held-out rows the guard scores one label on, and what they are ("people" or "all").

    The product serves this organisation's tickets, so once the slice holds at least
    `TRIAGE_GUARD_MIN_HUMAN` rows whose `label` a person chose, that label is judged on those rows
    alone. Only people's rows rather than a heavier weight: a weight large enough for them to
    dominate would have to grow with the seed corpus, and the seed rows would still veto the
    organisation's own conventions where the two disagree (the seed corpus keeps shaping the
    model through training either way). Below the threshold a few people's rows make a noisy
    macro-F1 and a handful of mistaken labels could swing it, so the seed rows and the people's
    labels (weighted as in training) are judged together. The choice depends only on
    the slice, never on a model, so both guards are always compared on the same rows.
    """
    known = [i for i, example in enumerate(examples) if getattr(example, label)]
    people = [i for i in known if examples[i].source == "human"]
    if people and len(people) >= settings.TRIAGE_GUARD_MIN_HUMAN:
        return people, "people"
    return known, "all"


def evaluate(model: Predictor, examples: Sequence[Example]) -> HeldOutFigures:
    """Held-out figures for the guard (see `judged_rows` for which rows count, and
    `GUARD_MEASURES` for the figure it compares per label). `score`, the mean of category
    macro-F1 and priority quadratic weighted kappa, is a one-number summary for people; no
    promotion decision reads it."""
    predictions = model.predict_many([example.text for example in examples])
    category_rows, category_basis = judged_rows(examples, "category")
    priority_rows, priority_basis = judged_rows(examples, "priority")
    by_category = [(examples[i], predictions[i]) for i in category_rows]
    by_priority = [(examples[i], predictions[i]) for i in priority_rows]
    category = label_report(
        [str(e.category) for e, _ in by_category],
        [p.category for _, p in by_category],
        CATEGORIES,
        [e.weight for e, _ in by_category],
    )
    priority = label_report(
        [str(e.priority) for e, _ in by_priority],
        [p.priority for _, p in by_priority],
        PRIORITIES,
        [e.weight for e, _ in by_priority],
    )
    qwk = priority_qwk(
        [str(e.priority) for e, _ in by_priority],
        [p.priority for _, p in by_priority],
        [e.weight for e, _ in by_priority],
    )
    return {
        "held_out": len(examples),
        "judged_on": {
            "category": {"rows": category_basis, "count": len(by_category)},
            "priority": {"rows": priority_basis, "count": len(by_priority)},
        },
        "category": {"accuracy": category["accuracy"], "macro_f1": category["macro_f1"]},
        "priority": {
            "accuracy": priority["accuracy"],
            "macro_f1": priority["macro_f1"],
            "qwk": qwk,
        },
        "score": (category["macro_f1"] + qwk) / 2,
    }


# Bootstrap resamples of the people's rows by which `OutOfFold.best_share` measures noise.
BOOTSTRAP_DRAWS = 200

# The organisation's own model's shares the cross-validation chooses among (0: the seed-trained
# classifier alone, 1: the organisation's model alone, for the values it used).
ORG_SHARES = (0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0)


def fingerprint(example: Example) -> str:
    return _digest(example).hex()[:16]


def fold_of(example: Example, folds: int) -> int:
    """A row's cross-validation fold, stable across retrains (by a hash of its text, other
    bytes of it than `is_held_out` reads)."""
    return int.from_bytes(_digest(example)[4:8], "big") % folds


def score(label: str, truth: Sequence[str], predicted: Sequence[str]) -> float:
    """The guard's figure for one label (`GUARD_MEASURES`) on people's rows (equal weights)."""
    if label == "category":
        return float(label_report(list(truth), list(predicted), CATEGORIES)["macro_f1"])
    return float(priority_qwk(list(truth), list(predicted)))


@dataclass(frozen=True)
class OutOfFold:
    """One label's people's rows, each predicted by a model fitted without its fold (seed rows
    and every other fold's labels in): the seed-trained classifier's probabilities and the
    organisation's own model's, apart, so any blend of the two can be scored."""

    label: str
    rows: list[int]  # positions in the examples
    truth: list[str]
    classes: np.ndarray
    base: np.ndarray
    org: np.ndarray  # equal to `base` for rows whose fold had too few labels for an org model

    def predicted(self, share: float, rows: Sequence[int] | None = None) -> list[str]:
        keep = slice(None) if rows is None else [self.rows.index(i) for i in rows]
        proba = (1.0 - share) * self.base[keep] + share * self.org[keep]
        return [str(value) for value in self.classes[np.argmax(proba, axis=1)]]

    def figure(self, share: float, rows: Sequence[int] | None = None) -> float:
        truth = self.truth if rows is None else [self.truth[self.rows.index(i)] for i in rows]
        return score(self.label, truth, self.predicted(share, rows))

    def top_share(self) -> float:
        """The share with the best out-of-fold figure (the smaller share on a tie)."""
        return max(ORG_SHARES, key=lambda share: (round(self.figure(share), 6), -share))

    def resampled(self, shares: Sequence[float], draws: int = BOOTSTRAP_DRAWS) -> np.ndarray:
        """The figure of each share (columns) on `draws` bootstrap resamples of the rows (the
        same resamples for every share, drawn from a fixed seed), so differences between
        shares can be judged against their own noise."""
        values = CATEGORIES if self.label == "category" else PRIORITIES
        index = {value: i for i, value in enumerate(values)}
        truth = np.asarray([index[value] for value in self.truth])
        samples = np.random.default_rng(0).integers(0, len(truth), size=(draws, len(truth)))
        figures = np.empty((draws, len(shares)))
        for column, share in enumerate(shares):
            predicted = np.asarray([index[value] for value in self.predicted(share)])
            cells = (truth * len(values) + predicted)[samples]
            offsets = np.arange(draws)[:, None] * len(values) ** 2
            confusion = np.bincount(
                (cells + offsets).ravel(), minlength=draws * len(values) ** 2
            ).reshape(draws, len(values), len(values))
            figures[:, column] = _figure(self.label, confusion)
        return figures

    def best_share(self) -> float:
        """The share a retrain uses: the best of those whose out-of-fold figure beats share 0
        (the seed-trained classifier alone) by more than one standard error of that paired
        difference over bootstrap resamples of the rows; 0 when none does.

        Eight shares scored on a few dozen noisy labels always have a best, often by a row or
        two (issue 15: share 1 chosen on 50 labels, category macro-F1 0.505 -> 0.419 through
        the API). Requiring the lead over share 0 to exceed its own noise keeps the seed-trained
        classifier until the organisation's labels clearly help, then takes the best share as
        before.
        """
        figures = self.resampled(ORG_SHARES)
        gains = figures - figures[:, [0]]
        observed = {share: round(self.figure(share), 6) for share in ORG_SHARES}
        clear = [
            share
            for column, share in enumerate(ORG_SHARES)
            if share == 0.0 or observed[share] - observed[0.0] > float(np.std(gains[:, column]))
        ]
        return max(clear, key=lambda share: (observed[share], -share))


def _figure(label: str, confusion: np.ndarray) -> np.ndarray:
    """`score` from confusion matrices (`[..., truth, predicted]`, counts): macro-F1 over the
    values present in the truth for category, quadratic weighted kappa for priority."""
    hits = np.diagonal(confusion, axis1=-2, axis2=-1).astype(float)
    truth, predicted = confusion.sum(axis=-1), confusion.sum(axis=-2)
    if label == "category":
        with np.errstate(divide="ignore", invalid="ignore"):
            f1 = np.where(truth + predicted > 0, 2 * hits / (truth + predicted), 0.0)
        present = truth > 0
        macro: np.ndarray = np.where(present, f1, 0.0).sum(axis=-1) / np.maximum(
            present.sum(axis=-1), 1
        )
        return macro
    size = confusion.shape[-1]
    weights = (np.arange(size)[:, None] - np.arange(size)[None, :]) ** 2
    rows = confusion.sum(axis=(-2, -1)).astype(float)
    expected = truth[..., :, None] * predicted[..., None, :] / np.maximum(rows, 1)[..., None, None]
    observed_cost = (weights * confusion).sum(axis=(-2, -1))
    expected_cost = (weights * expected).sum(axis=(-2, -1))
    used = ((truth > 0) | (predicted > 0)).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = 1.0 - observed_cost / expected_cost
    return np.where((used >= 2) & (expected_cost > 0), kappa, 0.0)


def cross_validate(
    examples: Sequence[Example], folds: int, prepared: tuple[FeatureUnion, sp.csr_matrix]
) -> dict[str, OutOfFold]:
    """Out-of-fold predictions of every people's row, per label, by `folds` models each fitted
    on the seed rows and the people's rows of the other folds. `prepared` (text features fitted
    on all the texts, and their matrix) is shared by the folds: it learns no label."""
    texts = [example.text for example in examples]
    features, matrix = prepared
    people = [i for i, example in enumerate(examples) if example.source == "human"]
    collected: dict[str, list[tuple[int, str, np.ndarray, np.ndarray]]] = {
        label: [] for label in LABELS
    }
    classes: dict[str, np.ndarray] = {}
    for fold in range(folds):
        test = [i for i in people if fold_of(examples[i], folds) == fold]
        if not test:
            continue
        left_out = set(test)
        keep = [i for i in range(len(examples)) if i not in left_out]
        model = TriageModel.fit(
            [examples[i] for i in keep],
            org_half=1.0,  # any positive value: the share is chosen below
            prepared=(features, matrix[keep]),
        )
        test_texts = [texts[i] for i in test]
        test_matrix = matrix[test]
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            for label in LABELS:
                head = getattr(model, label)
                classes[label] = head.classifier.classes_
                base = dataclasses.replace(head, org=None).predict_proba(test_texts, test_matrix)
                org = base if head.org is None else head.org.proba(test_texts, classes[label])
                for j, i in enumerate(test):
                    value = getattr(examples[i], label)
                    if value:
                        collected[label].append((i, value, base[j], org[j]))
    out = {}
    for label, items in collected.items():
        if items:
            items.sort(key=lambda item: item[0])
            out[label] = OutOfFold(
                label,
                [item[0] for item in items],
                [item[1] for item in items],
                classes[label],
                np.vstack([item[2] for item in items]),
                np.vstack([item[3] for item in items]),
            )
    return out


def with_org_shares(model: TriageModel, shares: dict[str, float]) -> TriageModel:
    """`model` with each label's organisation model given the share in `shares` (if any)."""
    heads = {}
    for label in LABELS:
        head = getattr(model, label)
        if label in shares and head.org is not None:
            head = dataclasses.replace(head, org=dataclasses.replace(head.org, share=shares[label]))
        heads[label] = head
    return TriageModel(heads["category"], heads["priority"])


@dataclass(frozen=True)
class Candidate:
    bundle: store.Bundle
    held_out: list[Example]
    examples: list[Example]
    out_of_fold: dict[str, OutOfFold]  # labels with enough people's rows to cross-validate


def fit_candidate(examples: Sequence[Example]) -> Candidate:
    """Fit the answering model on everything and its guard without the held-out slice.

    Once a label has `TRIAGE_GUARD_MIN_HUMAN` people's rows (and `TRIAGE_GUARD_FOLDS` >= 2),
    the share of the organisation's own model in that label's answers is chosen by k-fold
    cross-validation over all of them (`cross_validate`, `OutOfFold.best_share`) instead of
    `n / (n + TRIAGE_ORG_HALF)`, and the folds' predictions are kept for the guard.
    Raises `ValueError` if a label is too scarce.
    """
    examples = list(examples)
    train = [example for example in examples if not is_held_out(example)]
    held_out = [example for example in examples if is_held_out(example)]
    folds = settings.TRIAGE_GUARD_FOLDS
    people = {
        label: sum(1 for e in examples if e.source == "human" and getattr(e, label))
        for label in LABELS
    }
    out_of_fold: dict[str, OutOfFold] = {}
    prepared = None
    if folds >= 2 and max(people.values()) >= settings.TRIAGE_GUARD_MIN_HUMAN:
        texts = [example.text for example in examples]
        features = fit_text_features(texts)
        prepared = (features, features.transform(texts))
        out_of_fold = {
            label: oof
            for label, oof in cross_validate(examples, folds, prepared).items()
            if len(oof.rows) >= settings.TRIAGE_GUARD_MIN_HUMAN
        }
    shares = {label: oof.best_share() for label, oof in out_of_fold.items()}
    guard = with_org_shares(TriageModel.fit(train, org_half=settings.TRIAGE_ORG_HALF), shares)
    model = with_org_shares(
        TriageModel.fit(examples, org_half=settings.TRIAGE_ORG_HALF, prepared=prepared), shares
    )
    now = timezone.now()
    version = now.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
    counts: ExampleCounts = {
        "seed": sum(1 for example in examples if example.source == "seed"),
        "human": sum(1 for example in examples if example.source == "human"),
    }
    heads: dict[str, HeadMeta] = {}
    for label in LABELS:
        org = getattr(model, label).org
        heads[label] = {
            "version": version,
            "trained_at": now.isoformat(),
            "examples": counts,
            "org_share": round(org.share, 4) if org is not None else 0.0,
            "org_share_from": "cross-validation" if label in shares else "default",
        }
    meta: ModelMeta = {
        "version": version,
        "trained_at": now.isoformat(),
        "examples": counts,
        "format": store.MODEL_FORMAT,
        "sklearn": sklearn.__version__,
        "metrics": evaluate(guard, held_out),
        # Both classifiers come from this fit; a partial promotion later mixes fits.
        "heads": heads,
    }
    learned = {
        label: frozenset(fingerprint(e) for e in train if e.source == "human" and getattr(e, label))
        for label in LABELS
    }
    bundle = store.Bundle(model=model, guard=guard, meta=meta, learned=learned)
    return Candidate(bundle, held_out, examples, out_of_fold)


def fit_bundle(examples: Sequence[Example]) -> tuple[store.Bundle, list[Example]]:
    """`fit_candidate`'s bundle and held-out slice."""
    candidate = fit_candidate(examples)
    return candidate.bundle, candidate.held_out


def _learned(bundle: store.Bundle) -> dict[str, frozenset[str]]:
    """What `bundle`'s guard learned, per label; a bundle pickled before `learned` existed has
    no such attribute: nothing recorded."""
    return getattr(bundle, "learned", None) or {}


def unseen_people_rows(examples: Sequence[Example], label: str, live: store.Bundle) -> list[int]:
    """People's rows for `label` the live guard never learned from: its held-out slice, and the
    rows that arrived after it was fitted (when it recorded what it learned)."""
    learned = _learned(live).get(label)
    return [
        i
        for i, example in enumerate(examples)
        if example.source == "human"
        and getattr(example, label)
        and (is_held_out(example) or (learned is not None and fingerprint(example) not in learned))
    ]


def combine_bundles(
    candidate: store.Bundle, live: store.Bundle, promoted: Sequence[str], held_out: list[Example]
) -> store.Bundle:
    """A new bundle answering the `promoted` labels as `candidate` does, the rest as `live`."""

    def pick(label: str) -> store.Bundle:
        return candidate if label in promoted else live

    model = TriageModel.combine(pick("category").model, pick("priority").model)
    guard = TriageModel.combine(pick("category").guard, pick("priority").guard)
    heads = {label: pick(label).meta["heads"][label] for label in LABELS}
    meta: ModelMeta = {
        **candidate.meta,
        "version": candidate.version + "-" + "+".join(promoted),
        "metrics": evaluate(guard, held_out),
        "heads": heads,
    }
    learned = {
        label: _learned(pick(label))[label] for label in LABELS if label in _learned(pick(label))
    }
    return store.Bundle(model=model, guard=guard, meta=meta, learned=learned)


def judge(candidate: Candidate, live: store.Bundle | None) -> dict[str, GuardFigures]:
    """The guard's figures per label for the candidate and the live model, on the same rows.

    A label cross-validated over the people's labels (`fit_candidate`) whose live guard never
    saw at least `TRIAGE_GUARD_MIN_HUMAN` of them (its held-out slice, and the labels that
    arrived since it was fitted) is judged on exactly those rows: the candidate by its
    out-of-fold predictions (each from a model fitted without that row's fold), the live guard
    by its own. A burst of new labels is then hundreds of rows, not the fifth of them that fall
    in the slice. Otherwise both guards are scored on the held-out slice (`evaluate`).
    """
    slice_figures = candidate.bundle.meta["metrics"]
    live_slice = None if live is None else evaluate(live.guard, candidate.held_out)
    guard: dict[str, GuardFigures] = {}
    for label, measure in GUARD_MEASURES.items():
        oof = candidate.out_of_fold.get(label)
        rows = (
            []
            if live is None or oof is None
            else unseen_people_rows(candidate.examples, label, live)
        )
        if live is not None and oof is not None and len(rows) >= settings.TRIAGE_GUARD_MIN_HUMAN:
            share = candidate.bundle.meta["heads"][label].get("org_share", 0.0)
            texts = [candidate.examples[i].text for i in rows]
            live_answers = [getattr(p, label) for p in live.guard.predict_many(texts)]
            truth = [str(getattr(candidate.examples[i], label)) for i in rows]
            judged: JudgedOn = {"rows": "people", "count": len(rows)}
            guard[label] = {
                "measure": measure.name,
                "candidate": oof.figure(share, rows),
                "live": score(label, truth, live_answers),
                "judged_on": judged,
                "margin": margin(judged),
            }
            continue
        judged = slice_figures["judged_on"][label]
        guard[label] = {
            "measure": measure.name,
            "candidate": measure.figure(slice_figures),
            "live": None if live_slice is None else measure.figure(live_slice),
            "judged_on": judged,
            "margin": margin(judged),
        }
    return guard


def goes_live(figures: GuardFigures) -> bool:
    """The guard's verdict on one label: no live model, or a candidate not clearly worse."""
    live = figures["live"]
    return live is None or figures["candidate"] >= live - figures["margin"]


def retrain(*, tickets: QuerySet[Ticket] | None = None, force: bool = False) -> Outcome:
    """Train a candidate from the seed corpus and the people's labels; promote each label's
    classifier that the guard allows (both with `force`, or with no readable live model). Waits
    for another trainer on this host.

    `tickets` narrows which labelled tickets are learned from (the evaluation's learning curve
    uses it to ignore whatever else the database holds); by default all of them.
    """
    started = time.perf_counter()
    with store.training_lock(wait=True):
        candidate = fit_candidate(seed_examples() + human_examples(tickets))
        bundle, held_out = candidate.bundle, candidate.held_out
        notes: list[str] = []
        for label, oof in candidate.out_of_fold.items():
            share = bundle.meta["heads"][label].get("org_share", 0.0)
            notes.append(
                f"{label}: the organisation's own model has share {share:.2f}, chosen by "
                f"{settings.TRIAGE_GUARD_FOLDS}-fold cross-validation over {len(oof.rows)} "
                f"people's labels ({GUARD_MEASURES[label].name} {oof.figure(share):.4f}; "
                f"seed-trained alone {oof.figure(0.0):.4f})"
            )
        try:
            live: store.Bundle | None = store.load_current()
        except store.ModelMissing as exc:
            live = None
            notes.append(f"no live model ({exc})")
        guard = judge(candidate, live)
        for label, figures in guard.items():
            judged = figures["judged_on"]
            if judged["rows"] == "people":
                notes.append(f"guard judged {label} on {judged['count']} people-labelled rows")
        promoted = tuple(label for label, figures in guard.items() if force or goes_live(figures))
        live_version = live.version if live is not None else bundle.version
        if len(promoted) == len(LABELS) or live is None:
            store.promote(bundle)
            live_version = bundle.version
        elif promoted:
            combined = combine_bundles(bundle, live, promoted, held_out)
            store.promote(combined)
            live_version = combined.version
        for label, figures in guard.items():
            if label not in promoted:
                notes.append(
                    f"kept the live {label} classifier: the candidate's held-out "
                    f"{figures['measure']} was {figures['candidate']:.4f} against "
                    f"{figures['live']:.4f} (margin {figures['margin']:.4f})"
                )
    outcome = Outcome(
        promoted=promoted,
        version=bundle.version,
        live_version=live_version,
        guard=guard,
        metrics=bundle.meta["metrics"],
        examples=bundle.meta["examples"],
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )
    logger.info(
        "triage retrain: candidate %s; promoted %s; live model %s",
        outcome.version,
        ", ".join(promoted) or "nothing",
        live_version,
    )
    return outcome


def ensure_model() -> store.Bundle:
    """The live bundle, trained first if there is none (first use after install: seconds).

    Raises `store.TrainingBusy` when another process on this host is training it right now:
    the caller should not wait in a request.
    """
    try:
        return store.load_current()
    except store.ModelMissing:
        pass
    with store.training_lock(wait=False):
        try:  # another process may have promoted one since we looked
            return store.load_current()
        except store.ModelMissing:
            pass
        bundle, _ = fit_bundle(seed_examples() + human_examples())
        store.promote(bundle)
        logger.info("triage model %s trained on first use", bundle.version)
        return bundle
