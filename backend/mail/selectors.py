"""Reads of the mail app, always through what the caller may see (`tickets.models.visible_to`)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from accounts.access import Caller
from mail.models import INTERNAL_KINDS, Attachment, Email
from tickets.models import Ticket, visible_to


def ticket_visible(*, caller: Caller, ticket_id: int) -> bool:
    return Ticket.objects.filter(visible_to(caller), pk=ticket_id).exists()


def email_list(*, caller: Caller, ticket_id: int) -> QuerySet[Email]:
    """A ticket's emails, oldest first, with their attachments (not their bytes). Requesters do
    not see bounce reports (the note they produce is internal) nor breach notices to agents."""
    emails = (
        Email.objects.filter(
            ticket_id=ticket_id, ticket__in=Ticket.objects.filter(visible_to(caller))
        )
        .defer("raw")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.defer("data").order_by("id"))
        )
        .order_by("created_at", "id")
    )
    if caller.is_requester:
        emails = emails.exclude(kind__in=INTERNAL_KINDS)
    return emails


def attachment_get(*, caller: Caller, attachment_id: int) -> Attachment | None:
    """An attachment of a ticket the caller may see (of a bounce report: staff only)."""
    attachments = Attachment.objects.filter(
        pk=attachment_id, email__ticket__in=Ticket.objects.filter(visible_to(caller))
    )
    if caller.is_requester:
        attachments = attachments.exclude(email__kind__in=INTERNAL_KINDS)
    return attachments.first()


def email_get(*, caller: Caller, email_id: int) -> Email | None:
    """An email of a ticket the caller may see, with its original bytes (staff-only kinds: to
    staff only)."""
    emails = Email.objects.filter(pk=email_id, ticket__in=Ticket.objects.filter(visible_to(caller)))
    if caller.is_requester:
        emails = emails.exclude(kind__in=INTERNAL_KINDS)
    return emails.first()
