"""The learning loop: count the labels people choose, retrain in the background every N.

`record_human_labels` runs after a ticket write commits (`transaction.on_commit`). It costs two
single-row UPDATEs; only the call that crosses the threshold also INSERTs one job into the
database task queue, claimed with a conditional UPDATE so concurrent requests (in any process)
queue exactly one retrain. A worker (`manage.py db_worker`) runs it; requests never wait for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from triage.models import TrainingState

if TYPE_CHECKING:
    from triage.training import Outcome

logger = logging.getLogger(__name__)

# A claim older than this is presumed lost (worker killed mid-run, job failed): the next label
# may queue a fresh retrain. Long enough that a failing retrain is not retried on every label.
STALE_CLAIM = dt.timedelta(hours=1)


def _state() -> TrainingState:
    state, _ = TrainingState.objects.get_or_create(pk=TrainingState.SINGLETON)
    return state


def record_human_labels(count: int = 1) -> None:
    """Count `count` label choices; queue one retrain when `TRIAGE_RETRAIN_EVERY` are pending.

    Never raises: the ticket is already saved, and a failure here must not turn its response
    into an error. It is logged instead.
    """
    try:
        rows = TrainingState.objects.filter(pk=TrainingState.SINGLETON)
        if not rows.update(labels_since_training=F("labels_since_training") + count):
            _state()
            rows.update(labels_since_training=F("labels_since_training") + count)
        now = timezone.now()
        with transaction.atomic():
            claimed = (
                rows.filter(labels_since_training__gte=settings.TRIAGE_RETRAIN_EVERY)
                .filter(
                    Q(retrain_enqueued_at__isnull=True)
                    | Q(retrain_enqueued_at__lt=now - STALE_CLAIM)
                )
                .update(retrain_enqueued_at=now)
            )
            if claimed:
                # Imported here: the task calls back into this module (`retrain_now`).
                from triage.tasks import retrain_model

                retrain_model.enqueue()
                logger.info("triage retrain queued")
    except Exception:
        logger.exception("could not record human labels for triage retraining")


def retrain_now(*, force: bool = False) -> Outcome:
    """Retrain and promote if the guard allows (see `triage.training.retrain`), then count the
    labels pending before it started as learned and release the queue claim."""
    pending = _state().labels_since_training
    # Imported here: scikit-learn takes seconds to import, and every web process imports this
    # module (through tickets.services) but only the worker ever trains.
    from triage import training

    outcome = training.retrain(force=force)
    TrainingState.objects.filter(pk=TrainingState.SINGLETON).update(
        labels_since_training=Greatest(F("labels_since_training") - pending, 0),
        retrain_enqueued_at=None,
        trained_at=timezone.now(),
    )
    return outcome
