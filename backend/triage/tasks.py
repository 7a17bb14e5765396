"""Background jobs, run by `manage.py db_worker` from the database task queue."""

from __future__ import annotations

import dataclasses
from typing import Any

from django_tasks import task

from triage import learning


@task()
def retrain_model() -> dict[str, Any]:
    """Retrain the local model from the seed corpus and the people's labels (guarded promotion).

    Returns the outcome (stored as the job's result). A failure leaves the queue claim in place,
    so the next attempt waits for `learning.STALE_CLAIM` instead of retrying on every label.
    """
    return dataclasses.asdict(learning.retrain_now())
