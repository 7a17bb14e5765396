"""Outbound mail through a real SMTP server (aiosmtpd on loopback): agents' public replies,
notifications, headers, retries and the failure that stays visible."""

from __future__ import annotations

import logging
import re

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from accounts.access import SYSTEM, Caller
from accounts.models import Role, User
from conversations.services import message_post
from mail import references
from mail.jobs import deliver_email
from mail.models import Delivery, Email, Kind
from mail.outbound import deliver
from mail.services import email_receive
from mail.tests.conftest import SmtpSink, free_port, make_email
from tickets.models import Status, Ticket
from tickets.services import ticket_update

pytestmark = pytest.mark.django_db


def _ticket() -> Ticket:
    received = email_receive(raw=make_email(message_id="origin"))
    assert received.ticket_id is not None
    return Ticket.objects.get(pk=received.ticket_id)


def _agent() -> User:
    return User.objects.create(email="agent@desk.example", name="Ann Agent", role=Role.AGENT)


def test_the_received_notification_reaches_the_smtp_server(smtp_server: SmtpSink) -> None:
    ticket = _ticket()
    ack = Email.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    assert deliver(email_id=ack.pk) is True
    smtp_server.wait_for(1)
    mail_from, rcpt, message = smtp_server.messages[0]
    assert mail_from == "support@desk.example" and rcpt == ["carol@customer.example"]
    assert message["Message-ID"] == f"<{ack.message_id}>"
    assert message["In-Reply-To"] == "<origin@customer.example>"
    assert "<origin@customer.example>" in message["References"]
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["Reply-To"] == references.reply_address(ticket.pk)
    assert references.subject_token(ticket.pk) in message["Subject"]
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and references.subject_token(ticket.pk) in plain.get_content()
    assert html is not None and "<p>" in html.get_content()
    ack.refresh_from_db()
    assert ack.status == Delivery.SENT and ack.sent_at is not None and ack.attempts == 1


def test_an_agents_public_reply_is_emailed_and_threads(
    smtp_server: SmtpSink,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
    settings: Settings,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ticket = _ticket()
    agent = _agent()
    with django_capture_on_commit_callbacks(execute=True):
        message_post(
            caller=Caller(role=Role.AGENT, user=agent),
            ticket_id=ticket.pk,
            body="Please restart the printer <and> tell us.",
        )
    reply = Email.objects.get(ticket=ticket, kind=Kind.AGENT_REPLY)
    smtp_server.wait_for(1)
    assert reply.thread_message is not None
    sent = [m for _, _, m in smtp_server.messages if m["Message-ID"] == f"<{reply.message_id}>"]
    assert len(sent) == 1
    message = sent[0]
    assert message["Subject"].startswith("Re: ") and "Auto-Submitted" not in message
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and "Please restart the printer <and> tell us." in plain.get_content()
    assert html is not None and "&lt;and&gt;" in html.get_content()  # escaped, never markup
    reply.refresh_from_db()
    assert reply.status == Delivery.SENT
    # The customer's answer to it threads back onto the ticket.
    answer = email_receive(
        raw=make_email(body="Done, it works.", headers={"In-Reply-To": f"<{reply.message_id}>"})
    )
    assert answer.ticket_id == ticket.pk and answer.message_id is not None


def test_internal_notes_and_email_replies_are_not_emailed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ticket = _ticket()
    agent = _agent()
    with django_capture_on_commit_callbacks(execute=True):
        message_post(
            caller=Caller(role=Role.AGENT, user=agent),
            ticket_id=ticket.pk,
            body="Internal: customer is on the old plan.",
            internal=True,
        )
        email_receive(
            raw=make_email(
                body="More details.", headers={"In-Reply-To": "<origin@customer.example>"}
            )
        )
    assert not Email.objects.filter(ticket=ticket, kind=Kind.AGENT_REPLY).exists()


def test_resolving_sends_the_resolved_notification(
    smtp_server: SmtpSink,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    ticket = _ticket()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": Status.RESOLVED})
    resolved = Email.objects.get(ticket=ticket, kind=Kind.RESOLVED)
    assert deliver(email_id=resolved.pk) is True
    smtp_server.wait_for(1)
    message = smtp_server.messages[-1][2]
    assert message["Subject"].startswith("Request resolved: ")
    assert message["Auto-Submitted"] == "auto-replied"


def test_notifications_can_be_turned_off(
    settings: Settings,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    settings.MAIL_NOTIFY_RECEIVED = False
    settings.MAIL_NOTIFY_RESOLVED = False
    ticket = _ticket()
    with django_capture_on_commit_callbacks(execute=True):
        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": Status.RESOLVED})
    assert not Email.objects.filter(ticket=ticket).exclude(kind=Kind.REQUEST).exists()


# The worker closes its database connections between tasks, as in production: this test runs
# outside the usual per-test transaction.
@pytest.mark.django_db(transaction=True)
def test_a_send_that_keeps_failing_is_retried_then_marked_failed_and_logged(
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens: connection refused
    settings.EMAIL_TIMEOUT = 2
    settings.MAIL_SEND_MAX_ATTEMPTS = 3
    ticket = _ticket()
    ack = Email.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    with caplog.at_level(logging.WARNING, logger="mail.outbound"):
        # The database queue and its worker, as in production: each failed try queues the next
        # (MAIL_SEND_RETRY_SECONDS is 0 in tests, so every retry is due at once).
        deliver_email.enqueue(ack.pk)
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    ack.refresh_from_db()
    assert ack.status == Delivery.FAILED and ack.attempts == 3
    assert "ConnectionRefusedError" in ack.last_error
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and f"email {ack.pk}" in errors[0].getMessage()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2


def test_a_failed_send_is_visible_in_the_api(client: Client, settings: Settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.MAIL_SEND_MAX_ATTEMPTS = 1
    ticket = _ticket()
    ack = Email.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    assert deliver(email_id=ack.pk) is False
    rows = client.get(f"/api/tickets/{ticket.pk}/emails/").json()
    failed = next(r for r in rows if r["id"] == ack.pk)
    assert failed["status"] == "failed" and failed["attempts"] == 1
    assert re.search("Connection", failed["last_error"])


def test_backoff_doubles(settings: Settings) -> None:
    from mail.outbound import backoff

    settings.MAIL_SEND_RETRY_SECONDS = 30.0
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
