"""GET /api/triage/status/: the provider chain, the live local model and the learning loop."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks, Settings
from rest_framework.test import APIClient

from core.tests.helpers import assert_api_error
from triage import chain, store
from triage.learning import jobs
from triage.models import TrainingState
from triage.tests.conftest import LLM, LOCAL, RULES

pytestmark = pytest.mark.django_db

URL = "/api/triage/status/"


def status(api: APIClient) -> dict[str, Any]:
    response = api.get(URL)
    assert response.status_code == 200, response.content[:500]
    body: dict[str, Any] = response.json()
    assert set(body) == {"providers", "local_model", "learning"}
    return body


def when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def test_the_url_is_named() -> None:
    assert reverse("triage-status") == URL


def test_before_any_training(api: APIClient, empty_model_dir: Path, settings: Settings) -> None:
    body = status(api)

    assert body["local_model"] is None
    assert body["providers"] == [
        {"name": "local", "available": True},
        {"name": "rules", "available": True},
    ]
    assert body["learning"] == {
        "labels_since_training": 0,
        "retrain_every": settings.TRIAGE_RETRAIN_EVERY,
        "retrain_queued": False,
        "last_trained_at": None,
    }
    assert not empty_model_dir.exists()  # reading the status never trains a model


@pytest.mark.parametrize(("key", "available"), [("", False), ("sk-test", True)])
def test_the_llm_is_available_when_a_key_is_set(
    api: APIClient, empty_model_dir: Path, settings: Settings, key: str, available: bool
) -> None:
    settings.OPENAI_API_KEY = key
    settings.TRIAGE_PROVIDERS = [LLM, LOCAL, RULES]
    chain.reset()

    assert status(api)["providers"] == [
        {"name": "llm", "available": available},
        {"name": "local", "available": True},
        {"name": "rules", "available": True},
    ]


def test_after_training_the_figures_are_the_live_models(
    api: APIClient,
    model_dir: Path,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                "/api/tickets/",
                {
                    "title": f"Invoice {n}",
                    "description": f"I was charged twice on invoice {n}.",
                    "category": "billing",
                    "priority": "high",
                },
                format="json",
            )
        assert response.status_code == 201
    jobs.retrain_now(force=True)
    pointer = json.loads((model_dir / "current.json").read_text())

    body = status(api)

    model = body["local_model"]
    assert model["version"] == pointer["version"]
    assert when(model["trained_at"]) == when(pointer["trained_at"])
    assert model["examples"] == pointer["examples"]
    assert model["examples"]["human"] == 3
    metrics = pointer["metrics"]
    assert model["held_out"] == {
        "rows": metrics["held_out"],
        "category_macro_f1": metrics["category"]["macro_f1"],
        "priority_macro_f1": metrics["priority"]["macro_f1"],
        "priority_qwk": metrics["priority"]["qwk"],
        "judged_on": metrics["judged_on"],
    }
    # Three labels: far too few to score on, so the figures are on the built-in examples.
    assert {judged["rows"] for judged in model["held_out"]["judged_on"].values()} == {"all"}
    for label in ("category", "priority"):
        head = model["heads"][label]
        assert head["version"] == pointer["heads"][label]["version"]
        assert when(head["trained_at"]) == when(pointer["heads"][label]["trained_at"])
    assert body["learning"]["labels_since_training"] == 0
    assert body["learning"]["last_trained_at"] is not None
    assert abs(when(body["learning"]["last_trained_at"]) - timezone.now()) < dt.timedelta(minutes=1)


def test_labels_people_choose_are_counted_until_a_retrain_is_queued(
    api: APIClient,
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.TRIAGE_PROVIDERS = [RULES]
    settings.TRIAGE_RETRAIN_EVERY = 3
    chain.reset()

    def create(**labels: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(
                "/api/tickets/",
                {"title": "Login", "description": "I cannot sign in.", **labels},
                format="json",
            )
        assert response.status_code == 201

    create()  # triage chose both labels: nothing for the model to learn
    create(category="account")
    create(category="account", priority="high")  # one ticket counts once
    loop = status(api)["learning"]
    assert (loop["labels_since_training"], loop["retrain_every"]) == (2, 3)
    assert loop["retrain_queued"] is False

    create(priority="low")

    loop = status(api)["learning"]
    assert loop["labels_since_training"] == 3
    assert loop["retrain_queued"] is True


def test_a_lost_retrain_is_not_shown_as_queued(api: APIClient) -> None:
    TrainingState.objects.create(
        labels_since_training=60,
        retrain_enqueued_at=timezone.now() - jobs.STALE_CLAIM - dt.timedelta(minutes=1),
    )

    assert status(api)["learning"]["retrain_queued"] is False


def test_one_query(
    api: APIClient, model_dir: Path, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    TrainingState.objects.create(labels_since_training=4)
    status(api)  # the providers are built once per process, not per request

    with django_assert_num_queries(1):
        body = status(api)

    assert body["local_model"] is not None
    assert body["learning"]["labels_since_training"] == 4


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        json.dumps({"format": store.MODEL_FORMAT}),
        '{"format": 1, "version": "old"}',
        "",
    ],
    ids=["not-json", "not-an-object", "missing-keys", "older-format", "empty"],
)
def test_a_damaged_pointer_file_reads_as_no_model(
    api: APIClient, model_dir: Path, content: str
) -> None:
    (model_dir / "current.json").write_text(content)

    assert status(api)["local_model"] is None


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("metrics", "priority", "qwk"), float("nan")),
        (("metrics", "category", "macro_f1"), "0.9"),
        (("examples", "human"), -1),
        (("trained_at",), "yesterday"),
        (("heads", "priority"), None),
    ],
    ids=["nan", "text-figure", "negative-count", "bad-date", "no-head"],
)
def test_a_pointer_with_odd_values_reads_as_no_model(
    api: APIClient, model_dir: Path, path: tuple[str, ...], value: object
) -> None:
    pointer_file = model_dir / "current.json"
    pointer = json.loads(pointer_file.read_text())
    parent = pointer
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    pointer_file.write_text(json.dumps(pointer))

    assert status(api)["local_model"] is None


def test_an_unreadable_pointer_file_reads_as_no_model(api: APIClient, model_dir: Path) -> None:
    pointer_file = model_dir / "current.json"
    pointer_file.unlink()
    pointer_file.mkdir()  # reading it raises IsADirectoryError, whoever runs the tests

    assert status(api)["local_model"] is None


def test_post_is_refused_in_the_api_error_shape(api: APIClient) -> None:
    response = api.post(URL, {}, format="json")

    assert_api_error(response, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"
