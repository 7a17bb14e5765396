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
"""

from __future__ import annotations

import csv
import hashlib
import logging
import math
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple, Protocol, TypedDict

import sklearn
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from tickets.models import Ticket
from triage import store
from triage.classifier import Example, LocalPrediction, TriageModel
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


def is_held_out(example: Example) -> bool:
    digest = hashlib.sha256(example.text.lower().encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < HOLDOUT_PERCENT


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


def fit_bundle(examples: Sequence[Example]) -> tuple[store.Bundle, list[Example]]:
    """Fit the answering model on everything and its guard without the held-out slice.

    Returns the bundle and the held-out slice. Raises `ValueError` if a label is too scarce.
    """
    train = [example for example in examples if not is_held_out(example)]
    held_out = [example for example in examples if is_held_out(example)]
    guard = TriageModel.fit(train, org_half=settings.TRIAGE_ORG_HALF)
    model = TriageModel.fit(examples, org_half=settings.TRIAGE_ORG_HALF)
    now = timezone.now()
    head: HeadMeta = {
        "version": now.strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3),
        "trained_at": now.isoformat(),
        "examples": {
            "seed": sum(1 for example in examples if example.source == "seed"),
            "human": sum(1 for example in examples if example.source == "human"),
        },
    }
    meta: ModelMeta = {
        **head,
        "format": store.MODEL_FORMAT,
        "sklearn": sklearn.__version__,
        "metrics": evaluate(guard, held_out),
        # Both classifiers come from this fit; a partial promotion later mixes fits.
        "heads": {label: head for label in LABELS},
    }
    return store.Bundle(model=model, guard=guard, meta=meta), held_out


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
    return store.Bundle(model=model, guard=guard, meta=meta)


def retrain(*, tickets: QuerySet[Ticket] | None = None, force: bool = False) -> Outcome:
    """Train a candidate from the seed corpus and the people's labels; promote each label's
    classifier that the guard allows (both with `force`, or with no readable live model). Waits
    for another trainer on this host.

    `tickets` narrows which labelled tickets are learned from (the evaluation's learning curve
    uses it to ignore whatever else the database holds); by default all of them.
    """
    started = time.perf_counter()
    with store.training_lock(wait=True):
        examples = seed_examples() + human_examples(tickets)
        bundle, held_out = fit_bundle(examples)
        candidate_figures = bundle.meta["metrics"]
        notes: list[str] = []
        try:
            live: store.Bundle | None = store.load_current()
        except store.ModelMissing as exc:
            live = None
            notes.append(f"no live model ({exc})")
        live_figures = None if live is None else evaluate(live.guard, held_out)
        guard: dict[str, GuardFigures] = {}
        for label, measure in GUARD_MEASURES.items():
            guard[label] = {
                "measure": measure.name,
                "candidate": measure.figure(candidate_figures),
                "live": None if live_figures is None else measure.figure(live_figures),
                "judged_on": candidate_figures["judged_on"][label],
                "margin": margin(candidate_figures["judged_on"][label]),
            }
            judged = candidate_figures["judged_on"][label]
            if judged["rows"] == "people":
                notes.append(f"guard judged {label} on {judged['count']} people-labelled rows")
        promoted = tuple(
            label
            for label, figures in guard.items()
            if force
            or figures["live"] is None
            or figures["candidate"] >= figures["live"] - figures["margin"]
        )
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
