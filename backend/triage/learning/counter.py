"""Counting the labels people choose, and claiming the retrain they call for.

`record_human_labels` runs after a ticket write commits (`transaction.on_commit`). It costs two
single-row UPDATEs; only the call that crosses `TRIAGE_RETRAIN_EVERY` also INSERTs one job into
the database task queue, claimed with a conditional UPDATE so concurrent requests (in any process)
queue exactly one retrain. A worker (`manage.py db_worker`) runs it; requests never wait for it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from triage.learning.jobs import retrain_model
from triage.models import TrainingState

logger = logging.getLogger(__name__)

# A claim older than this is presumed lost (worker killed mid-run, job failed): the next label
# may queue a fresh retrain. Long enough that a failing retrain is not retried on every label.
STALE_CLAIM = dt.timedelta(hours=1)


def record_human_labels(count: int = 1) -> None:
    """Count `count` label choices; queue one retrain when `TRIAGE_RETRAIN_EVERY` are pending.

    Never raises: the ticket is already saved, and a failure here must not turn its response
    into an error. It is logged instead.
    """
    try:
        rows = TrainingState.objects.filter(pk=TrainingState.SINGLETON)
        if not rows.update(labels_since_training=F("labels_since_training") + count):
            TrainingState.load()
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
                retrain_model.enqueue()
                logger.info("triage retrain queued")
    except Exception:
        logger.exception("could not record human labels for triage retraining")
