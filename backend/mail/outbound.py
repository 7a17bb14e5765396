"""Composing the mail we send and handing it to Django's email backend.

An outbound email is composed once, when it is queued, and stored whole (`Email.raw`): what the
worker sends, what a retry resends and what an agent views are the same bytes. Headers: our
Message-ID, In-Reply-To and References (so mail clients thread it), a signed Reply-To (so a reply
finds its ticket), `Auto-Submitted: auto-replied` on notifications, a text and a minimal HTML part.
An SLA breach notice goes to agents, not the requester: it stays out of the customer's thread
(no threading headers, no signed Reply-To) and says `Auto-Submitted: auto-generated`.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from email import policy
from email.message import EmailMessage as MIMEMessage
from email.parser import BytesParser
from email.policy import Policy
from email.utils import make_msgid
from typing import Any, NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.utils import timezone

from mail import references
from mail.models import INTERNAL_KINDS, Delivery, Direction, Email, Kind
from sla.domain_events import FIRST_RESPONSE
from tickets.models import Ticket

logger = logging.getLogger(__name__)

REFERENCES_KEPT = 20  # the newest ids of a thread in References; enough for any client to thread


def _subject(ticket: Ticket, kind: str) -> str:
    token = references.subject_token(ticket.pk)
    if kind == Kind.RECEIVED:
        return f"Request received: {ticket.title} {token}"
    if kind == Kind.RESOLVED:
        return f"Request resolved: {ticket.title} {token}"
    return f"Re: {ticket.title} {token}"


def _text(ticket: Ticket, kind: str, body: str) -> str:
    token = references.subject_token(ticket.pk)
    if kind == Kind.RECEIVED:
        return (
            f"We have received your request and will answer soon.\n\n"
            f"Reference: {token}\nTitle: {ticket.title}\n\n"
            "Reply to this email to add to your request; keep the reference in the subject."
        )
    if kind == Kind.RESOLVED:
        return (
            f"Your request {token} ({ticket.title}) has been marked resolved.\n\n"
            "If it is not, reply to this email and it will be reopened."
        )
    return body


def _html(text: str) -> str:
    paragraphs = "".join(
        "<p>" + html.escape(block).replace("\n", "<br>") + "</p>"
        for block in text.split("\n\n")
        if block.strip()
    )
    return f'<!DOCTYPE html><html><body style="font-family:sans-serif">{paragraphs}</body></html>'


def _thread_ids(ticket: Ticket) -> list[str]:
    ids = list(
        Email.objects.filter(ticket=ticket)
        .exclude(kind__in=INTERNAL_KINDS)
        .order_by("-created_at", "-id")
        .values_list("message_id", "direction")[:REFERENCES_KEPT]
    )
    return [message_id for message_id, _ in reversed(ids)]


def _last_received(ticket: Ticket) -> str | None:
    return (
        Email.objects.filter(ticket=ticket, direction=Direction.INBOUND)
        .exclude(kind=Kind.BOUNCE)
        .order_by("-created_at", "-id")
        .values_list("message_id", flat=True)
        .first()
    )


class Composed(NamedTuple):
    message_id: str  # without angle brackets
    subject: str
    raw: bytes


def compose(*, ticket: Ticket, kind: str, recipient: str, body: str = "") -> Composed:
    """Build the message of `kind` for `ticket`, to `recipient`."""
    domain = str(settings.SUPPORT_EMAIL).partition("@")[2] or "localhost"
    message_id = make_msgid(domain=domain)
    headers: dict[str, str] = {"Message-ID": message_id}
    thread = _thread_ids(ticket)
    parent = _last_received(ticket) or (thread[-1] if thread else None)
    if parent:
        headers["In-Reply-To"] = f"<{parent}>"
    if thread:
        headers["References"] = " ".join(f"<{i}>" for i in thread)
    if kind in (Kind.RECEIVED, Kind.RESOLVED):
        headers["Auto-Submitted"] = "auto-replied"
    text = _text(ticket, kind, body)
    mail = EmailMultiAlternatives(
        subject=_subject(ticket, kind),
        body=text,
        from_email=settings.SUPPORT_EMAIL,
        to=[recipient],
        reply_to=[references.reply_address(ticket.pk)],
        headers=headers,
    )
    mail.attach_alternative(_html(text), "text/html")
    return Composed(
        message_id=message_id.strip("<>"),
        subject=str(mail.subject),
        raw=mail.message().as_bytes(),
    )


TARGET_NAMES = {FIRST_RESPONSE: "first response"}


def compose_breach_notice(*, ticket: Ticket, target: str, recipient: str) -> Composed:
    """The internal notice that `ticket` missed its `target` (first response / resolution)."""
    domain = str(settings.SUPPORT_EMAIL).partition("@")[2] or "localhost"
    message_id = make_msgid(domain=domain)
    what = TARGET_NAMES.get(target, target)
    subject = f"SLA breached: {what} on ticket #{ticket.pk} ({ticket.title})"
    text = (
        f"Ticket #{ticket.pk} ({ticket.title}) has passed its {what} target.\n\n"
        f"Priority: {ticket.priority}\nStatus: {ticket.status}\n\n"
        "This notice is for the support team only; the requester was not emailed."
    )
    mail = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.SUPPORT_EMAIL,
        to=[recipient],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    mail.attach_alternative(_html(text), "text/html")
    return Composed(
        message_id=message_id.strip("<>"), subject=str(mail.subject), raw=mail.message().as_bytes()
    )


class _StoredMIME(MIMEMessage):
    """A parsed stored message that serialises the way Django's backends ask it to (the SMTP
    backend passes `linesep="\r\n"`, which the modern message class spells as a policy)."""

    def as_bytes(
        self, unixfrom: bool = False, policy: Policy | None = None, linesep: str | None = None
    ) -> bytes:
        chosen = policy or self.policy
        if linesep is not None:
            chosen = chosen.clone(linesep=linesep)
        return super().as_bytes(unixfrom, policy=chosen)


class StoredEmail(EmailMessage):
    """An already composed message, handed to a Django email backend as it was stored."""

    def __init__(self, raw: bytes, *, sender: str, recipient: str) -> None:
        super().__init__(from_email=sender, to=[recipient])
        self._parsed = BytesParser(_class=_StoredMIME, policy=policy.default).parsebytes(raw)

    def message(self, *args: Any, **kwargs: Any) -> Any:
        return self._parsed


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next try after `attempts` failed ones: doubling from the base."""
    return dt.timedelta(seconds=settings.MAIL_SEND_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def deliver(*, email_id: int) -> bool | None:
    """Send one queued email through the configured backend. True when sent (or already sent),
    None when it failed and should be retried, False when it failed for the last time (marked
    `failed` and logged as an error). Never raises for a send failure."""
    email = Email.objects.filter(pk=email_id, direction=Direction.OUTBOUND).first()
    if email is None or email.status == Delivery.SENT:
        return True
    if email.status == Delivery.FAILED:
        return False
    try:
        connection = get_connection(fail_silently=False, timeout=settings.EMAIL_TIMEOUT)
        sent = connection.send_messages(
            [StoredEmail(bytes(email.raw), sender=email.sender, recipient=email.recipient)]
        )
        if not sent:
            raise RuntimeError("the email backend accepted no message")
    except Exception as exc:
        attempts = email.attempts + 1
        last = attempts >= settings.MAIL_SEND_MAX_ATTEMPTS
        Email.objects.filter(pk=email.pk).update(
            attempts=attempts,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            status=Delivery.FAILED if last else Delivery.QUEUED,
        )
        if last:
            logger.error(
                "mail: email %s to %s on ticket %s failed for good after %s attempts: %s",
                email.pk,
                email.recipient,
                email.ticket_id,
                attempts,
                exc,
            )
            return False
        logger.warning(
            "mail: email %s to %s failed (attempt %s), retrying: %s",
            email.pk,
            email.recipient,
            attempts,
            exc,
        )
        return None
    Email.objects.filter(pk=email.pk).update(
        attempts=email.attempts + 1, status=Delivery.SENT, sent_at=timezone.now(), last_error=""
    )
    return True
