"""The live stream hears of ticket changes through the tickets' domain events."""

from __future__ import annotations

from events.hub import announce
from sla.domain_events import SlaBreached
from tickets.domain_events import TicketChanged, TicketCreated


def announce_ticket(event: TicketChanged) -> None:
    """Tell every open stream, in every process, that the ticket changed. Never raises."""
    name = "ticket.created" if isinstance(event, TicketCreated) else "ticket.updated"
    announce(name, event.ticket_id)


def announce_breach(event: SlaBreached) -> None:
    """`ticket.sla_breached`, carrying the ticket as it stands (once per breached target)."""
    announce("ticket.sla_breached", event.ticket_id)
