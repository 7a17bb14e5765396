"""The retrain job, run by `manage.py db_worker` from the database task queue, and its claim.

`queue_retrain_if_due` claims and queues `retrain_model` once `TRIAGE_RETRAIN_EVERY` labels are
pending (the counter calls it after each label); `retrain_now` (also what `manage.py
train_triage` calls) retrains, releases the claim, and queues the next retrain at once if the
labels that arrived meanwhile already reach the threshold, so a burst is never left waiting for
one more label.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks import task

from triage.models import TrainingState

if TYPE_CHECKING:
    from triage.learning.training import Outcome

logger = logging.getLogger(__name__)

# A claim older than this is presumed lost (worker killed mid-run, job failed): the next label
# may queue a fresh retrain. Long enough that a failing retrain is not retried on every label.
STALE_CLAIM = dt.timedelta(hours=1)


def queue_retrain_if_due() -> bool:
    """Queue one retrain when `TRIAGE_RETRAIN_EVERY` labels are pending and none is queued (or
    its claim went stale). The claim is a conditional UPDATE, so concurrent callers in any process
    queue exactly one. Returns whether this call queued it."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            TrainingState.objects.filter(
                pk=TrainingState.SINGLETON,
                labels_since_training__gte=settings.TRIAGE_RETRAIN_EVERY,
            )
            .filter(
                Q(retrain_enqueued_at__isnull=True) | Q(retrain_enqueued_at__lt=now - STALE_CLAIM)
            )
            .update(retrain_enqueued_at=now)
        )
        if claimed:
            retrain_model.enqueue()
            logger.info("triage retrain queued")
    return bool(claimed)


@task()
def retrain_model() -> dict[str, Any]:
    """Retrain the local model from the seed corpus and the people's labels (guarded promotion).

    Returns the `Outcome` as JSON (stored as the job's result). A failure leaves the queue claim
    in place, so the next attempt waits for `STALE_CLAIM` instead of retrying on every label.
    """
    return dataclasses.asdict(retrain_now())


def retrain_now(*, force: bool = False) -> Outcome:
    """Retrain and promote if the guard allows (see `training.retrain`), count the labels pending
    before it started as learned, release the queue claim, and queue the next retrain if the
    labels that arrived meanwhile are already enough."""
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
    queue_retrain_if_due()
    return outcome
