"""Writes to a ticket's conversation.

Posting locks the ticket's row for the length of the transaction: the first public reply of an
agent stops the first-response clock exactly once, and a reply cannot race a status change
(a requester's answer reopening a resolved ticket, or a ticket being closed meanwhile).
"""

from __future__ import annotations

from django.db import transaction
from rest_framework.exceptions import ValidationError

from accounts.access import Caller
from accounts.permissions import Action, require
from conversations.domain_events import MessageCreated
from conversations.models import MESSAGE_MAX_LENGTH, Message, Via
from core.domain_events import publish_on_commit
from core.errors import Conflict
from tickets import services as ticket_services
from tickets.models import Status, Ticket, visible_to


class TicketClosed(Conflict):
    """409: a closed ticket takes no more messages."""

    default_code = "ticket_closed"
    default_detail = "This ticket is closed and takes no more replies."


REQUESTER_CLOSED_MESSAGE = (
    "This request is closed and takes no more replies. Please open a new request; you can "
    "mention this one (#{id}) in it."
)
AGENT_CLOSED_MESSAGE = (
    "Ticket #{id} is closed and takes no more messages. Reopen it (set its status) to reply."
)


def _clean_body(body: str) -> str:
    if not isinstance(body, str) or not body.strip():
        raise ValidationError({"body": ["A message needs some text."]})
    if len(body) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {"body": [f"Ensure this field has no more than {MESSAGE_MAX_LENGTH} characters."]}
        )
    return body


def message_post(
    *,
    caller: Caller,
    ticket_id: int,
    body: str,
    internal: bool = False,
    via: str = Via.WEB,
) -> Message:
    """Post a message on a ticket the caller can see, stored exactly as written.

    - `Ticket.DoesNotExist` for a ticket the caller cannot see (404, never 403).
    - `PermissionDenied` (403) for an internal note from a requester.
    - `ValidationError` (400) for a blank body or one over 10,000 characters, or an unknown `via`.
    - `TicketClosed` (409) on a closed ticket, saying what to do instead.

    An agent's (or admin's) first public reply sets the ticket's `first_response_at`; a
    requester's reply on a resolved ticket reopens it (history source `requester_reply`). Both
    go through the tickets services, which announce `TicketUpdated`. Announces `MessageCreated`
    after commit.
    """
    require(caller, Action.MESSAGE_POST_INTERNAL if internal else Action.MESSAGE_POST)
    body = _clean_body(body)
    if via not in Via.values:
        raise ValidationError({"via": [f"Must be one of {', '.join(Via.values)}."]})
    with transaction.atomic():
        ticket = Ticket.objects.filter(visible_to(caller)).select_for_update().get(pk=ticket_id)
        if ticket.status == Status.CLOSED:
            template = REQUESTER_CLOSED_MESSAGE if caller.is_requester else AGENT_CLOSED_MESSAGE
            raise TicketClosed(template.format(id=ticket.pk))
        message = Message.objects.create(
            ticket=ticket, author=caller.user, body=body, internal=internal, via=via
        )
        if caller.is_requester:
            ticket_services.ticket_reopen(ticket=ticket)
        elif not internal:
            ticket_services.ticket_record_first_response(ticket=ticket, at=message.created_at)
        publish_on_commit(
            MessageCreated(
                ticket_id=ticket.pk,
                message_id=message.pk,
                internal=internal,
                author_id=caller.user_id,
                via=via,
            )
        )
    return message
