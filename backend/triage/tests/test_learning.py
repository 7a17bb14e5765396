"""The learning loop: label choices are counted in the database and trigger one background
retrain every `TRIAGE_RETRAIN_EVERY`, run by the database task worker."""

from __future__ import annotations

import csv
import datetime as dt
from itertools import chain as chained
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings
from rest_framework.test import APIClient

from accounts.access import SYSTEM
from events import subscribers
from intake.tests.helpers import file_ticket
from tickets import services
from triage import chain, store
from triage.learning import counter, jobs, training
from triage.models import TrainingState

pytestmark = pytest.mark.django_db

RETRAIN_TASK = "triage.learning.jobs.retrain_model"


@pytest.fixture
def every_three(settings: Settings) -> None:
    settings.TRIAGE_RETRAIN_EVERY = 3


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=RETRAIN_TASK).count()


def pending() -> int:
    state = TrainingState.objects.filter(pk=TrainingState.SINGLETON).first()
    return state.labels_since_training if state else 0


def test_one_retrain_is_queued_when_enough_labels_accumulate(every_three: None) -> None:
    counter.record_human_labels()
    counter.record_human_labels()
    assert queued() == 0

    counter.record_human_labels()
    assert queued() == 1

    counter.record_human_labels()
    counter.record_human_labels()
    assert queued() == 1  # already queued: one retrain learns from all of them
    assert pending() == 5


def test_a_lost_claim_is_retaken_after_a_while(every_three: None) -> None:
    for _ in range(3):
        counter.record_human_labels()
    TrainingState.objects.update(retrain_enqueued_at=timezone.now() - dt.timedelta(hours=2))

    counter.record_human_labels()

    assert queued() == 2


def test_recording_never_raises(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(TrainingState.objects, "filter", broken)

    counter.record_human_labels()

    assert "could not record human labels" in caplog.text


class TestTicketWritesAreCounted:
    """The tickets service records label choices once its transaction commits."""

    def test_labels_given_at_creation_count(
        self, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            file_ticket(title="A", description="B", category="billing")
        assert pending() == 1

    def test_labels_left_to_triage_do_not(
        self, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            file_ticket(title="A", description="B")
        assert pending() == 0

    def test_a_label_changed_by_patch_counts(
        self, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
    ) -> None:
        ticket = file_ticket(title="A", description="B")
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"priority": "high"})
        assert pending() == 1

    def test_a_status_change_does_not(
        self, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
    ) -> None:
        ticket = file_ticket(title="A", description="B")
        with django_capture_on_commit_callbacks(execute=True):
            services.ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "resolved"})
        assert pending() == 0


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_the_worker_retrains_and_resets_the_count(every_three: None, model_dir: Path) -> None:
    live = store.read_pointer()["version"]
    for n in range(3):
        file_ticket(title=f"Login {n}", description="Cannot sign in.", category="account")
    assert queued() == 1

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    job = DBTaskResult.objects.get(task_path=RETRAIN_TASK)
    assert job.status == "SUCCESSFUL", job.traceback
    outcome = job.return_value
    assert outcome is not None
    assert outcome["examples"]["human"] == 3
    state = TrainingState.objects.get()
    assert (state.labels_since_training, state.retrain_enqueued_at) == (0, None)
    assert state.trained_at is not None
    assert store.read_pointer()["version"] == outcome["live_version"]
    assert bool(outcome["promoted"]) == (outcome["live_version"] != live)


def test_labels_arriving_during_a_retrain_stay_counted(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counter.record_human_labels(5)
    real_retrain = training.retrain

    def retrain_while_people_label(**kwargs: Any) -> training.Outcome:
        counter.record_human_labels(2)
        return real_retrain(**kwargs)

    monkeypatch.setattr(training, "retrain", retrain_while_people_label)

    jobs.retrain_now()

    assert pending() == 2


def test_train_triage_command(model_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("train_triage", force=True)

    out = capsys.readouterr().out
    assert "live model: " + store.read_pointer()["version"] in out
    assert "held-out" in out


def test_train_triage_if_missing_keeps_a_live_model(
    model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = store.read_pointer()["version"]

    call_command("train_triage", if_missing=True)

    assert capsys.readouterr().out.strip() == f"live model: {live} (kept)"
    assert store.read_pointer()["version"] == live


def test_train_triage_if_missing_trains_a_fresh_install(empty_model_dir: Path) -> None:
    call_command("train_triage", if_missing=True)

    assert store.read_pointer()["examples"]["seed"] > 0


@pytest.mark.parametrize("write", ["create", "update"])
def test_a_label_is_counted_before_clients_hear_of_the_change(
    write: str,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    """A page refreshes its figures when the event arrives: the count must already be there."""
    seen: list[int] = []
    monkeypatch.setattr(subscribers, "announce", lambda name, ticket_id: seen.append(pending()))
    ticket = file_ticket(title="Before", description="Unlabelled.")
    seen.clear()

    with django_capture_on_commit_callbacks(execute=True):
        if write == "create":
            file_ticket(title="Labelled", description="A person chose.", category="account")
        else:
            services.ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"priority": "high"})

    assert seen == [1]


def test_labels_that_arrive_during_a_retrain_queue_the_next_one(
    every_three: None, model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A burst: three labels queue a retrain; four more arrive while it runs. When it finishes,
    the four are still pending and already past the threshold, so the next retrain is queued
    then, not when a further label happens to come."""
    for _ in range(3):
        counter.record_human_labels()
    assert queued() == 1
    original = training.retrain

    def retrain_while_labels_arrive(**kwargs: Any) -> training.Outcome:
        counter.record_human_labels(4)
        assert queued() == 1  # claimed: nothing more is queued while it runs
        return original(**kwargs)

    monkeypatch.setattr(training, "retrain", retrain_while_labels_arrive)
    jobs.retrain_now()

    assert pending() == 4
    assert queued() == 2
    state = TrainingState.objects.get(pk=TrainingState.SINGLETON)
    assert state.retrain_enqueued_at is not None


def test_a_retrain_that_leaves_fewer_than_the_threshold_queues_nothing(
    every_three: None, model_dir: Path
) -> None:
    for _ in range(3):
        counter.record_human_labels()
    jobs.retrain_now()

    assert pending() == 0
    assert queued() == 1
    state = TrainingState.objects.get(pk=TrainingState.SINGLETON)
    assert state.retrain_enqueued_at is None


def real_seed_rows(count: int) -> list[dict[str, str]]:
    """Rows of the full seed corpus (not the tests' small slice), all four categories in turn."""
    with (Path(django_settings.BASE_DIR) / "triage" / "seed" / "fintech.csv").open(
        newline="", encoding="utf-8"
    ) as handle:
        rows = list(csv.DictReader(handle))
    by_category: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_category.setdefault(row["category"], []).append(row)
    interleaved = chained.from_iterable(zip_longest(*by_category.values()))
    return [row for row in interleaved if row is not None][:count]


@pytest.mark.django_db(transaction=True)  # the worker commits and closes connections
def test_a_burst_of_300_labels_ends_with_all_of_them_in_the_live_model(
    settings: Settings, model_dir: Path, api: APIClient
) -> None:
    """Labels filed through the API in two bursts, the worker draining the queue after each:
    no stall (nothing pending past the threshold with no retrain queued), and the live model's
    classifiers were both fitted on all 300 labels."""
    settings.TRIAGE_RETRAIN_EVERY = 50
    settings.TRIAGE_PROVIDERS = ["triage.providers.rules.RulesProvider"]  # filing stays cheap
    chain.reset()
    rows = real_seed_rows(300)
    assert len(rows) == 300
    for burst in (rows[:170], rows[170:]):
        for row in burst:
            response = api.post(
                "/api/tickets/",
                {key: row[key] for key in ("title", "description", "category", "priority")},
                format="json",
            )
            assert response.status_code == 201, response.content
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        status = api.get("/api/triage/status/").json()["learning"]
        assert status["retrain_queued"] is False
        assert status["labels_since_training"] == 0

    jobs_run = DBTaskResult.objects.filter(task_path=RETRAIN_TASK)
    assert {job.status for job in jobs_run} == {"SUCCESSFUL"}
    heads = store.read_pointer()["heads"]
    assert heads["category"]["examples"]["human"] == 300
    assert heads["priority"]["examples"]["human"] == 300
