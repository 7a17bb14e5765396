"""Reads of the triage engine's state, for people watching whether the model is learning.

Cheap by contract: one single-row query and one small JSON file. The model itself (a pickle of
several megabytes) is never loaded here.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping
from typing import Any, TypedDict

from django.conf import settings
from django.utils import timezone

from triage import chain, store
from triage.labels import LABELS
from triage.learning import jobs
from triage.models import TrainingState
from triage.store import ExampleCounts

logger = logging.getLogger(__name__)


class ProviderStatus(TypedDict):
    name: str
    available: bool


class JudgedOnSummary(TypedDict):
    """Which held-out rows a label's figure is on: the organisation's own labels ("people"),
    or mostly the built-in seed examples ("all": seed rows and the few people's labels)."""

    rows: str
    count: int


class HeldOutSummary(TypedDict):
    rows: int
    category_macro_f1: float
    priority_macro_f1: float
    priority_qwk: float
    judged_on: dict[str, JudgedOnSummary]  # by label


class HeadSummary(TypedDict):
    version: str
    trained_at: dt.datetime


class ModelSummary(TypedDict):
    version: str
    trained_at: dt.datetime
    examples: ExampleCounts
    held_out: HeldOutSummary
    heads: dict[str, HeadSummary]  # by label


class LearningState(TypedDict):
    labels_since_training: int
    retrain_every: int
    retrain_queued: bool
    last_trained_at: dt.datetime | None


class TriageStatus(TypedDict):
    providers: list[ProviderStatus]
    local_model: ModelSummary | None
    learning: LearningState


def triage_status() -> TriageStatus:
    """The provider chain, the live local model and the learning loop, as one document:
    `{"providers": [...], "local_model": {...} | None, "learning": {...}}`. Never raises for a
    missing or damaged model file: `local_model` is then None."""
    return {
        "providers": provider_statuses(),
        "local_model": live_model(),
        "learning": learning_state(),
    }


def provider_statuses() -> list[ProviderStatus]:
    """The configured providers in the order the chain tries them, each `{name, available}`:
    whether it is configured to answer now (the LLM: a key is set)."""
    return [
        {"name": provider.name, "available": provider.available} for provider in chain.providers()
    ]


def live_model() -> ModelSummary | None:
    """What the live local model is and learned from, read from its pointer file; None when
    there is none, or when the file cannot be read or is not shaped as this code expects (a
    status page must not fail because of it: the damage is logged instead)."""
    try:
        return _model_summary(store.read_pointer())
    except store.ModelMissing:
        return None
    except (OSError, AttributeError, KeyError, TypeError, ValueError):
        # AttributeError: a pointer file holding JSON that is not an object.
        logger.warning("triage status: the model pointer file is unreadable", exc_info=True)
        return None


def learning_state() -> LearningState:
    """How far the learning loop is from the next retrain (see `triage.learning.counter`).

    `labels_since_training` may exceed `retrain_every` while a retrain is queued or running.
    `retrain_queued` is false once a claim is older than `jobs.STALE_CLAIM`: the retrain is
    then presumed lost, and the next label queues another. `last_trained_at` is when a retrain
    last ran (promoted or not); None before the first.
    """
    state = TrainingState.objects.filter(pk=TrainingState.SINGLETON).first() or TrainingState()
    claimed_at = state.retrain_enqueued_at
    return {
        "labels_since_training": state.labels_since_training,
        "retrain_every": settings.TRIAGE_RETRAIN_EVERY,
        "retrain_queued": claimed_at is not None
        and claimed_at >= timezone.now() - jobs.STALE_CLAIM,
        "last_trained_at": state.trained_at,
    }


def _model_summary(meta: Mapping[str, Any]) -> ModelSummary:
    """The pointer file's figures, checked and typed. Raises KeyError, TypeError or ValueError
    (or AttributeError for a non-object) when the file is not what `triage.learning.training`
    writes."""
    metrics = meta["metrics"]
    return {
        "version": str(meta["version"]),
        "trained_at": _datetime(meta["trained_at"]),
        "examples": {
            "seed": _count(meta["examples"]["seed"]),
            "human": _count(meta["examples"]["human"]),
        },
        "held_out": {
            "rows": _count(metrics["held_out"]),
            "category_macro_f1": _figure(metrics["category"]["macro_f1"]),
            "priority_macro_f1": _figure(metrics["priority"]["macro_f1"]),
            "priority_qwk": _figure(metrics["priority"]["qwk"]),
            "judged_on": {label: _judged_on(metrics["judged_on"][label]) for label in LABELS},
        },
        "heads": {
            label: {
                "version": str(meta["heads"][label]["version"]),
                "trained_at": _datetime(meta["heads"][label]["trained_at"]),
            }
            for label in LABELS
        },
    }


def _judged_on(value: Mapping[str, Any]) -> JudgedOnSummary:
    rows = value["rows"]
    if rows not in ("people", "all"):
        raise ValueError(f"expected people or all, got {rows!r}")
    return {"rows": str(rows), "count": _count(value["count"])}


def _datetime(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO 8601 string, got {value!r}")
    parsed = dt.datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a count, got {value!r}")
    return value


def _figure(value: object) -> float:
    # JSON allows NaN and Infinity, which no JSON response can carry.
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    return float(value)
