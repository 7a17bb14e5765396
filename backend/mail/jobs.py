"""The worker's mail jobs (django-tasks, run by `manage.py db_worker`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from mail import outbound
from mail.models import Email


@task()
def deliver_email(email_id: int) -> str:
    """Send one queued email; after a failure, queue the next try with a doubling wait, until
    `MAIL_SEND_MAX_ATTEMPTS` (then the email is marked failed and the failure logged)."""
    result = outbound.deliver(email_id=email_id)
    if result is None:
        attempts = Email.objects.values_list("attempts", flat=True).get(pk=email_id)
        if deliver_email.get_backend().supports_defer:
            wait = outbound.backoff(attempts)
            deliver_email.using(run_after=timezone.now() + wait).enqueue(email_id)
        else:  # a backend without deferral (the immediate one): try again at once
            deliver_email.enqueue(email_id)
        return "retry"
    return "sent" if result else "failed"
