"""The live stream hears of ticket changes, new messages and SLA breaches through the domain
events."""

from __future__ import annotations

from conversations.domain_events import MessageCreated
from events.hub import MESSAGE_CREATED, announce
from sla.domain_events import SlaBreached
from tickets.domain_events import TicketChanged, TicketCreated


def announce_ticket(event: TicketChanged) -> None:
    """Tell every open stream, in every process, that the ticket changed. Never raises."""
    name = "ticket.created" if isinstance(event, TicketCreated) else "ticket.updated"
    announce(name, event.ticket_id)


def announce_message(event: MessageCreated) -> None:
    """Tell every open stream that a message was posted; each stream passes it on only to a
    caller who may see it (internal notes: agents; public: agents and the ticket's requester).
    Never raises."""
    announce(MESSAGE_CREATED, event.message_id)


def announce_breach(event: SlaBreached) -> None:
    """`ticket.sla_breached`, carrying the ticket as it stands (once per breached target)."""
    announce("ticket.sla_breached", event.ticket_id)
