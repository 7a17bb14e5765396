"""The SLA app hears of ticket changes through the tickets' domain events, and of a ticket
about to be inserted through Django's `pre_save`."""

from __future__ import annotations

from typing import Any

from sla.services import ticket_sla_refresh, ticket_sla_start
from tickets.domain_events import TicketChanged, TicketUpdated
from tickets.models import Ticket

# The fields whose change can move a target: the clocks start from creation and depend on the
# priority, stop on the first response, and pause and resume with the status.
WATCHED = frozenset({"priority", "status", "first_response_at"})


def start_ticket_sla(sender: type[Ticket], instance: Ticket, raw: bool, **kwargs: Any) -> None:
    """A ticket saved for the first time without targets gets them in the same INSERT (targets
    given, and fixtures, `raw`, are stored as given). Bulk inserts send no signal:
    `manage.py sla_backfill` covers them."""
    given = instance.sla_first_response_due_at or instance.sla_resolution_due_at
    if not raw and instance._state.adding and given is None:
        ticket_sla_start(instance)


def refresh_ticket_sla(event: TicketChanged) -> None:
    """Recompute the ticket's targets after a watched field changed (a new ticket has them
    from its INSERT). Runs after commit and may run twice for one change: the refresh is
    idempotent."""
    if isinstance(event, TicketUpdated) and event.fields & WATCHED:
        ticket_sla_refresh(ticket_id=event.ticket_id)
