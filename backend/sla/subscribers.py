"""The SLA app hears of ticket changes through the tickets' domain events."""

from __future__ import annotations

from sla.services import ticket_sla_refresh
from tickets.domain_events import TicketChanged, TicketCreated, TicketUpdated

# The fields whose change can move a target: the clocks start from creation and depend on the
# priority, stop on the first response, and pause and resume with the status.
WATCHED = frozenset({"priority", "status", "first_response_at"})


def refresh_ticket_sla(event: TicketChanged) -> None:
    """Recompute the ticket's targets after it was filed or a watched field changed. Runs after
    commit and may run twice for one change: the refresh is idempotent."""
    if isinstance(event, TicketCreated) or (
        isinstance(event, TicketUpdated) and event.fields & WATCHED
    ):
        ticket_sla_refresh(ticket_id=event.ticket_id)
