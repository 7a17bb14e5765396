"""Reads of a ticket's conversation."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.access import Caller
from accounts.permissions import Action, allowed, require
from conversations.models import Message
from tickets.models import Ticket, visible_to


def message_list(caller: Caller, ticket_id: int) -> QuerySet[Message]:
    """The messages of a ticket the caller can see, oldest first (page it with
    `tickets.pagination.keyset_page(..., oldest_first=True)`), authors joined.

    Requesters see only public messages; agents and admins see internal notes too. Raises
    `Ticket.DoesNotExist` for a ticket the caller cannot see (404, never 403).
    """
    require(caller, Action.MESSAGE_LIST)
    if not Ticket.objects.filter(visible_to(caller), pk=ticket_id).exists():
        raise Ticket.DoesNotExist(f"No ticket {ticket_id} visible to this caller.")
    messages = Message.objects.filter(ticket_id=ticket_id)
    if not allowed(caller, Action.MESSAGE_LIST_INTERNAL):
        messages = messages.filter(internal=False)
    return messages.select_related("author").order_by("created_at", "id")


def messages_by_id(message_ids: list[int]) -> QuerySet[Message]:
    """Messages by id, oldest first, with their authors and tickets (the event stream decides
    from the ticket's requester and `internal` who may see each); ids gone since are absent."""
    return (
        Message.objects.filter(pk__in=message_ids)
        .select_related("author", "ticket")
        .order_by("created_at", "id")
    )
