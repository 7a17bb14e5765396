"""Counting the labels people choose, and claiming the retrain they call for.

`record_human_labels` runs after a ticket write commits (`transaction.on_commit`). It costs two
single-row UPDATEs; only the call that crosses `TRIAGE_RETRAIN_EVERY` also INSERTs one job into
the database task queue, claimed with a conditional UPDATE so concurrent requests (in any process)
queue exactly one retrain. A worker (`manage.py db_worker`) runs it; requests never wait for it.
"""

from __future__ import annotations

import logging

from django.db.models import F

from triage.learning.jobs import queue_retrain_if_due
from triage.models import TrainingState

logger = logging.getLogger(__name__)


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
        queue_retrain_if_due()
    except Exception:
        logger.exception("could not record human labels for triage retraining")
