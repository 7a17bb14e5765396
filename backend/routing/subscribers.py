"""Routing's reactions to ticket changes (subscribed in `RoutingConfig.ready()`)."""

from __future__ import annotations

from routing.services import ticket_reroute
from tickets.domain_events import TicketUpdated

# A person who sets the team or the assignee in the same change has routed it themselves.
_ROUTED_BY_PERSON = frozenset({"team", "assignee"})


def reroute_on_category(event: TicketUpdated) -> None:
    """A person changed the category: route the ticket again unless someone has it already
    (`ticket_reroute` checks that under the ticket's row lock)."""
    if "category" in event.human_labels and not event.fields & _ROUTED_BY_PERSON:
        ticket_reroute(ticket_id=event.ticket_id)
