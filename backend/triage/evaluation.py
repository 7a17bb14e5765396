"""Measuring providers on a labelled CSV, and the local model's learning curve.

Used by `manage.py evaluate_triage`. The public sets under `shared/data/triage-eval/` are for
this only: nothing here writes to the seed corpus or the live model. The learning curve trains
in a scratch model directory inside a database transaction that is rolled back.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NotRequired, TypedDict

from django.db import transaction
from django.test import override_settings
from django.utils.module_loading import import_string

from tickets import services
from tickets.models import TITLE_MAX_LENGTH, Ticket
from triage import chain, store
from triage.labels import CATEGORIES, PRIORITIES
from triage.learning import training
from triage.metrics import LabelReport, label_report, priority_qwk
from triage.providers.base import Prediction, ProviderDeclined, TicketText, TriageProvider

PROVIDERS = {
    "llm": "triage.providers.llm.LLMProvider",
    "local": "triage.providers.local.LocalModelProvider",
    "rules": "triage.providers.rules.RulesProvider",
}
DECLINED = "(declined)"
RULES = PROVIDERS["rules"]

Progress = Callable[[int], None]


class PriorityReport(LabelReport):
    qwk: float


class Scores(TypedDict):
    rows: int
    declined: int
    category: LabelReport
    priority: NotRequired[PriorityReport]  # only when the CSV has priorities


class ProviderScores(Scores):
    seconds: float


class CurvePoint(TypedDict):
    """The live model's held-out scores once people have labelled `labelled` rows."""

    labelled: int
    held_out: int
    promoted: list[str]
    guard: dict[str, training.GuardFigures]
    category_macro_f1: float
    category_accuracy: float
    priority_qwk: float | None


class FileScores(TypedDict):
    """Everything measured on one CSV (an entry of `evaluate_triage --json`)."""

    csv: str
    rows: int
    providers: dict[str, ProviderScores]
    learning_curve: NotRequired[list[CurvePoint]]


@dataclass(frozen=True)
class Row:
    title: str
    description: str
    category: str
    priority: str | None


def load_rows(path: Path) -> list[Row]:
    """Rows of a CSV with `text` or `title`+`description`, `category`, optionally `priority`.

    Raises `ValueError` for missing columns or a label outside the product's sets.
    """
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = set(reader.fieldnames or ())
        if "category" not in columns or not ({"text"} <= columns or {"description"} <= columns):
            raise ValueError(f"{path}: need a category column and text or title+description")
        rows = []
        for line, record in enumerate(reader, start=2):
            category = record["category"].strip()
            priority = (record.get("priority") or "").strip() or None
            if category not in CATEGORIES or (priority and priority not in PRIORITIES):
                raise ValueError(f"{path}:{line}: label outside the allowed sets")
            if "text" in columns:
                title, description = "", record["text"].strip()
            else:
                title, description = (record.get("title") or "").strip(), record["description"]
            rows.append(Row(title, description.strip(), category, priority))
    return rows


class ChainProvider(TriageProvider):
    """The configured chain as one provider, to measure what users actually get."""

    name = "chain"

    def predict(self, text: TicketText) -> Prediction:
        return chain.classify(title=text.title, description=text.description).prediction


def provider(name: str) -> TriageProvider:
    """`llm`, `local`, `rules`, `chain`, or a provider's dotted path."""
    if name == "chain":
        return ChainProvider()
    instance: TriageProvider = import_string(PROVIDERS.get(name, name))()
    return instance


def predict_rows(
    target: TriageProvider, rows: Sequence[Row], advance: Progress
) -> list[tuple[str, str]]:
    """(category, priority) per row, `DECLINED` for both where the provider declined."""
    answers = []
    for row in rows:
        try:
            prediction = target.predict(TicketText(row.title, row.description))
        except ProviderDeclined:
            answers.append((DECLINED, DECLINED))
        else:
            answers.append((prediction.category, prediction.priority))
        advance(1)
    return answers


def score(target: TriageProvider, rows: Sequence[Row], advance: Progress) -> ProviderScores:
    """`report` on the provider's answers for `rows`, with the seconds they took."""
    started = time.perf_counter()
    answers = predict_rows(target, rows, advance)
    return {**report(rows, answers), "seconds": round(time.perf_counter() - started, 2)}


def report(rows: Sequence[Row], answers: Sequence[tuple[str, str]]) -> Scores:
    """Category figures for every row; priority figures (with QWK) where the CSV has one."""
    result: Scores = {
        "rows": len(rows),
        "declined": sum(1 for category, _ in answers if category == DECLINED),
        "category": label_report(
            [row.category for row in rows], [category for category, _ in answers], CATEGORIES
        ),
    }
    rated = [(row.priority, answer[1]) for row, answer in zip(rows, answers, strict=True)]
    rated_known = [(str(truth), predicted) for truth, predicted in rated if truth]
    if rated_known:
        truth = [t for t, _ in rated_known]
        predicted = [p for _, p in rated_known]
        result["priority"] = {
            **label_report(truth, predicted, PRIORITIES),
            "qwk": priority_qwk(truth, predicted),
        }
    return result


def split(rows: Sequence[Row], pool_size: int, seed: int) -> tuple[list[Row], list[Row]]:
    """A shuffled pool to learn from (its first n rows are used at step n) and the rest held out."""
    shuffled = list(rows)
    random.Random(seed).shuffle(shuffled)
    if len(shuffled) < pool_size + 20:
        raise ValueError(f"{len(rows)} rows: too few for a pool of {pool_size} and a held-out part")
    return shuffled[:pool_size], shuffled[pool_size:]


def learning_curve(
    rows: Sequence[Row], steps: Sequence[int], *, seed: int, advance: Progress
) -> list[CurvePoint]:
    """Held-out scores of the local model after people label 0, then each of `steps` rows.

    The product's own path: each row becomes a ticket created with the row's labels (so marked
    as chosen by a person), then `training.retrain` runs with its promotion guard, and the live
    model is scored on the held-out rows. Everything happens in a scratch model directory and a
    rolled-back transaction, learning only from the tickets created here.
    """
    pool, held_out = split(rows, max(steps), seed)
    texts = [TicketText(row.title, row.description).joined() for row in held_out]
    points: list[CurvePoint] = []
    with (
        tempfile.TemporaryDirectory(prefix="triage-curve-") as scratch,
        override_settings(TRIAGE_MODEL_DIR=Path(scratch), TRIAGE_PROVIDERS=[RULES]),
        transaction.atomic(),
    ):
        # Tickets are created through the service, which triages them: rules keep that cheap.
        chain.reset()
        created: list[int] = []
        for n in [0, *sorted(steps)]:
            for row in pool[len(created) : n]:
                created.append(_create_ticket(row))
            outcome = training.retrain(tickets=Ticket.objects.filter(pk__in=created))
            model = store.load_current().model
            answers = [(p.category, p.priority) for p in model.predict_many(texts, served=True)]
            figures = report(held_out, answers)
            points.append(
                {
                    "labelled": n,
                    "held_out": len(held_out),
                    "promoted": list(outcome.promoted),
                    "guard": outcome.guard,
                    "category_macro_f1": figures["category"]["macro_f1"],
                    "category_accuracy": figures["category"]["accuracy"],
                    "priority_qwk": figures["priority"]["qwk"] if "priority" in figures else None,
                }
            )
            advance(1)
        transaction.set_rollback(True)
    chain.reset()
    return points


def _create_ticket(row: Row) -> int:
    # A ticket needs a title; a set with only a text gets its opening words, as a person would.
    title = row.title or " ".join(row.description.split()[:8])
    title = title[:TITLE_MAX_LENGTH]
    # As a ticket filed through the product: triage's suggestion recorded beside the row's labels.
    ticket = services.ticket_create(
        title=title,
        description=row.description,
        category=row.category,
        priority=row.priority,
        suggestion=chain.suggest(title=title, description=row.description),
    )
    return ticket.pk
