"""The retrain job, run by `manage.py db_worker` from the database task queue.

`triage.learning.counter` queues `retrain_model` and claims it; `retrain_now` (also what
`manage.py train_triage` calls) retrains and releases the claim.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import task

from triage.models import TrainingState

if TYPE_CHECKING:
    from triage.learning.training import Outcome


@task()
def retrain_model() -> dict[str, Any]:
    """Retrain the local model from the seed corpus and the people's labels (guarded promotion).

    Returns the `Outcome` as JSON (stored as the job's result). A failure leaves the queue claim
    in place, so the next attempt waits for `counter.STALE_CLAIM` instead of retrying on every
    label.
    """
    return dataclasses.asdict(retrain_now())


def retrain_now(*, force: bool = False) -> Outcome:
    """Retrain and promote if the guard allows (see `training.retrain`), then count the labels
    pending before it started as learned and release the queue claim."""
    pending = TrainingState.load().labels_since_training
    # Imported here: scikit-learn takes seconds to import, and every web process imports this
    # module (the counter queues its job) but only the worker ever trains.
    from triage.learning import training

    outcome = training.retrain(force=force)
    TrainingState.objects.filter(pk=TrainingState.SINGLETON).update(
        labels_since_training=Greatest(F("labels_since_training") - pending, 0),
        retrain_enqueued_at=None,
        trained_at=timezone.now(),
    )
    return outcome
