"""The live stream hears of ticket changes through the tickets' domain events."""

from __future__ import annotations

from events.hub import announce
from tickets.domain_events import TicketChanged, TicketCreated


def announce_ticket(event: TicketChanged) -> None:
    """Tell every open stream, in every process, that the ticket changed. Never raises."""
    name = "ticket.created" if isinstance(event, TicketCreated) else "ticket.updated"
    announce(name, event.ticket_id)
