"""The breach sweep as a background job (django-tasks, run by the worker `scripts/serve.sh`
starts). `manage.py sla_schedule` queues it every `SLA_SWEEP_INTERVAL` seconds."""

from __future__ import annotations

from django_tasks import task

from sla.services import sla_sweep


@task()
def sweep_breaches() -> int:
    """Record and announce the targets breached since the last sweep; how many there were."""
    return len(sla_sweep())
