"""Writes of the mail app: receiving one message (filing a ticket, threading a reply, recording a
bounce) and queueing the mail we send.

Receiving is one transaction: the ticket or thread message and the stored `Email` (whose
Message-ID is unique) commit together or not at all. So a message received twice, by the
webhook and the poller, or by a poller killed before it marked the message seen, is filed once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import NamedTuple

import filetype
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.access import SYSTEM, Caller
from accounts.models import Role, User
from conversations.models import MESSAGE_MAX_LENGTH, Message, Via
from conversations.services import message_post
from intake.services import ticket_file
from mail import jobs, outbound, references
from mail.models import SLA_TARGETS, Attachment, BouncingAddress, Delivery, Direction, Email, Kind
from mail.parsing import ParsedEmail, parse, title_from
from tickets.models import Status, Ticket

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Received(NamedTuple):
    """What became of a received message: a ticket (and the thread message, for a reply), or
    the reason it was deliberately dropped."""

    ticket_id: int | None = None
    message_id: int | None = None
    email_id: int | None = None
    ignored: str | None = None


def _rate_exceeded(sender: str) -> bool:
    rate: str | None = settings.MAIL_RATE_LIMIT
    if rate is None:
        return False
    count, _, period = rate.partition("/")
    window = dt.timedelta(seconds=_PERIODS[period[0]])
    recent = Email.objects.filter(
        direction=Direction.INBOUND, sender=sender, created_at__gte=timezone.now() - window
    ).count()
    return recent >= int(count)


def _thread_ticket(parsed: ParsedEmail) -> Ticket | None:
    """The ticket a message answers: by a Message-ID we sent or received, else by a signed
    reference in the recipients or the subject."""
    known = parsed.in_reply_to + parsed.references
    if known:
        email = (
            Email.objects.filter(message_id__in=known)
            .exclude(kind=Kind.BOUNCE)
            .select_related("ticket")
            .order_by("-created_at")
            .first()
        )
        if email is not None:
            return email.ticket
    ticket_id = next(
        (t for a in parsed.recipients if (t := references.ticket_from_address(a)) is not None),
        None,
    ) or references.ticket_from_subject(parsed.subject)
    return Ticket.objects.filter(pk=ticket_id).first() if ticket_id is not None else None


def _sniff(data: bytes) -> str:
    kind = filetype.guess_mime(data)
    if kind:
        return str(kind)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


def _with_attachment_notes(text: str, parsed: ParsedEmail) -> str:
    limit = settings.MAIL_ATTACHMENT_MAX_BYTES
    dropped = [a for a in parsed.attachments if len(a.data) > limit]
    notes = [
        f"[Attachment {a.filename} ({len(a.data)} bytes) not kept: over the size limit]"
        for a in dropped
    ]
    return "\n\n".join(part for part in (text.strip(), "\n".join(notes)) if part)


def _bounded(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    marker = "\n[... cut: the full message is kept as the original email]"
    return text[: limit - len(marker)] + marker


def _store(
    *, parsed: ParsedEmail, raw: bytes, ticket: Ticket, kind: str, message: Message | None
) -> Email:
    email = Email.objects.create(
        ticket=ticket,
        thread_message=message,
        direction=Direction.INBOUND,
        kind=kind,
        message_id=parsed.message_id,
        sender=parsed.sender,
        recipient=parsed.recipients[0][:254] if parsed.recipients else "",
        subject=parsed.subject[:998],
        raw=raw,
        status=Delivery.RECEIVED,
    )
    Attachment.objects.bulk_create(
        Attachment(
            email=email,
            filename=part.filename,
            content_type=_sniff(part.data),
            size=len(part.data),
            data=part.data,
        )
        for part in parsed.attachments
        if len(part.data) <= settings.MAIL_ATTACHMENT_MAX_BYTES
    )
    return email


def _record_bounce(*, parsed: ParsedEmail, raw: bytes) -> Received:
    bounce = parsed.bounce
    assert bounce is not None
    for address in bounce.recipients:
        BouncingAddress.objects.update_or_create(
            email=address[:254],
            defaults={"reason": bounce.diagnostic, "bounced_at": timezone.now()},
        )
    original = (
        Email.objects.filter(message_id=bounce.original_message_id, direction=Direction.OUTBOUND)
        .select_related("ticket")
        .first()
        if bounce.original_message_id
        else None
    )
    if original is None:
        return Received(ignored="bounce for a message we did not send")
    Email.objects.filter(pk=original.pk).update(
        status=Delivery.FAILED, last_error=f"bounced: {bounce.diagnostic}"[:2000]
    )
    note = message_post(
        caller=SYSTEM,
        ticket_id=original.ticket_id,
        internal=True,
        via=Via.EMAIL,
        body=_bounded(
            f"Delivery of email {original.pk} ({original.subject}) to "
            f"{', '.join(bounce.recipients) or original.recipient} failed: "
            f"{bounce.diagnostic or 'no reason given'}. The address is marked as bouncing.",
            2000,
        ),
    )
    email = _store(parsed=parsed, raw=raw, ticket=original.ticket, kind=Kind.BOUNCE, message=note)
    logger.warning("mail: bounce for email %s on ticket %s", original.pk, original.ticket_id)
    return Received(ticket_id=original.ticket_id, message_id=note.pk, email_id=email.pk)


def _queue(
    *, ticket: Ticket, kind: str, body: str = "", message: Message | None = None
) -> Email | None:
    requester = ticket.requester
    if requester is None or not requester.email:
        return None
    composed = outbound.compose(ticket=ticket, kind=kind, recipient=requester.email, body=body)
    email = Email.objects.create(
        ticket=ticket,
        thread_message=message,
        direction=Direction.OUTBOUND,
        kind=kind,
        message_id=composed.message_id,
        sender=settings.SUPPORT_EMAIL,
        recipient=requester.email,
        subject=composed.subject[:998],
        raw=composed.raw,
        status=Delivery.QUEUED,
    )
    # Enqueued inside the transaction: the database queue's row commits with the email's, so
    # a crash can never leave an email queued with no job to send it (nor a job for no email).
    jobs.deliver_email.enqueue(email.pk)
    return email


def _receive(parsed: ParsedEmail, raw: bytes) -> Received:
    if parsed.bounce is not None:
        return _record_bounce(parsed=parsed, raw=raw)
    BouncingAddress.objects.filter(email=parsed.sender).delete()
    ticket = _thread_ticket(parsed)
    requester_email = ticket.requester.email.lower() if ticket and ticket.requester else None
    if ticket is not None and requester_email == parsed.sender and ticket.status != Status.CLOSED:
        author = User.objects.get(email=requester_email)
        body = _bounded(_with_attachment_notes(parsed.reply_text, parsed), MESSAGE_MAX_LENGTH)
        message = message_post(
            caller=Caller(role=Role(author.role), user=author),
            ticket_id=ticket.pk,
            body=body or "(empty reply)",
            via=Via.EMAIL,
        )
        email = _store(parsed=parsed, raw=raw, ticket=ticket, kind=Kind.REPLY, message=message)
        return Received(ticket_id=ticket.pk, message_id=message.pk, email_id=email.pk)
    # A new request (also: a reference from someone who is not the ticket's requester, or to a
    # closed ticket): filed by intake, triaged and routed like any other.
    description = _bounded(
        _with_attachment_notes(parsed.text, parsed), settings.TICKET_DESCRIPTION_MAX_LENGTH
    )
    title = title_from(parsed.subject, parsed.text)
    filed = ticket_file(
        caller=SYSTEM,
        title=title,
        description=description or title,
        requester_email=parsed.sender,
    )
    email = _store(parsed=parsed, raw=raw, ticket=filed.ticket, kind=Kind.REQUEST, message=None)
    if settings.MAIL_NOTIFY_RECEIVED:
        _queue(ticket=filed.ticket, kind=Kind.RECEIVED)
    return Received(ticket_id=filed.ticket.pk, email_id=email.pk)


def email_receive(*, raw: bytes) -> Received:
    """Take one raw RFC 5322 message: file it as a new ticket, add it to the ticket it answers,
    record it as a bounce, or drop it (`ignored` says why: a duplicate, an automatic message, our
    own mail, a sender over the rate limit). Never raises for malformed mail."""
    parsed = parse(raw)
    if Email.objects.filter(message_id=parsed.message_id).exists():
        return Received(ignored="duplicate")
    if not parsed.sender:
        return Received(ignored="no sender address")
    if references.is_our_address(parsed.sender):
        return Received(ignored="our own address")
    if parsed.bounce is None:
        if parsed.auto_reply is not None:
            return Received(ignored=f"automatic message ({parsed.auto_reply})")
        if _rate_exceeded(parsed.sender):
            logger.warning("mail: %s is over the rate limit; message dropped", parsed.sender)
            return Received(ignored="rate limited")
    try:
        with transaction.atomic():
            return _receive(parsed, raw)
    except IntegrityError:
        # The same Message-ID committed meanwhile (webhook and poller at once): it is filed.
        if Email.objects.filter(message_id=parsed.message_id).exists():
            return Received(ignored="duplicate")
        raise


def reply_send(*, message_id: int) -> Email | None:
    """Queue an agent's public reply to the ticket's requester (none for internal notes, the
    requester's own messages, or a ticket without a requester's address)."""
    message = (
        Message.objects.select_related("ticket__requester", "author").filter(pk=message_id).first()
    )
    if message is None or message.internal or message.author is None:
        return None
    if message.author.role not in (Role.AGENT, Role.ADMIN) or message.via == Via.EMAIL:
        return None
    with transaction.atomic():
        return _queue(
            ticket=message.ticket, kind=Kind.AGENT_REPLY, body=message.body, message=message
        )


def resolved_notify(*, ticket_id: int) -> Email | None:
    """Queue the "request resolved" notification when the ticket is resolved (setting on)."""
    if not settings.MAIL_NOTIFY_RESOLVED:
        return None
    ticket = Ticket.objects.select_related("requester").filter(pk=ticket_id).first()
    if ticket is None or ticket.status != Status.RESOLVED:
        return None
    with transaction.atomic():
        return _queue(ticket=ticket, kind=Kind.RESOLVED)


def _breach_recipients(ticket: Ticket) -> list[str]:
    """Who hears of a breach: the assignee, else the active agents of the ticket's team, else
    nobody. Never the requester."""
    staff = (Role.AGENT, Role.ADMIN)
    assignee = ticket.assignee
    if assignee is not None and assignee.is_active and assignee.role in staff and assignee.email:
        addresses = [assignee.email]
    elif ticket.team_id is not None:
        addresses = list(
            User.objects.filter(teams=ticket.team_id, is_active=True, role__in=staff)
            .exclude(email="")
            .order_by("id")
            .values_list("email", flat=True)
        )
    else:
        addresses = []
    requester = ticket.requester.email.lower() if ticket.requester else None
    return [a for a in dict.fromkeys(addresses) if a.lower() != requester]


def sla_breach_notify(*, ticket_id: int, target: str) -> list[Email]:
    """Queue the internal notice that a ticket missed `target`: one email per recipient (see
    `_breach_recipients`), once per ticket and target however often the breach is announced
    (the ticket row is locked while checking; a unique constraint backs it). Setting
    `MAIL_NOTIFY_SLA_BREACH` off: nothing."""
    if not settings.MAIL_NOTIFY_SLA_BREACH or target not in SLA_TARGETS:
        return []
    try:
        with transaction.atomic():
            ticket = (
                Ticket.objects.select_for_update(of=("self",))
                .select_related("assignee", "requester")
                .filter(pk=ticket_id)
                .first()
            )
            if ticket is None:
                return []
            if Email.objects.filter(
                ticket=ticket, kind=Kind.SLA_BREACH, sla_target=target
            ).exists():
                return []
            queued = []
            for recipient in _breach_recipients(ticket):
                composed = outbound.compose_breach_notice(
                    ticket=ticket, target=target, recipient=recipient
                )
                email = Email.objects.create(
                    ticket=ticket,
                    direction=Direction.OUTBOUND,
                    kind=Kind.SLA_BREACH,
                    sla_target=target,
                    message_id=composed.message_id,
                    sender=settings.SUPPORT_EMAIL,
                    recipient=recipient,
                    subject=composed.subject[:998],
                    raw=composed.raw,
                    status=Delivery.QUEUED,
                )
                jobs.deliver_email.enqueue(email.pk)
                queued.append(email)
            return queued
    except IntegrityError:
        # The same notice committed meanwhile (the event handled twice at once): it is queued.
        if Email.objects.filter(
            ticket_id=ticket_id, kind=Kind.SLA_BREACH, sla_target=target
        ).exists():
            return []
        raise
