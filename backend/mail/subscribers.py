"""What the mail app does when other apps announce a change (subscribed in `MailConfig.ready`)."""

from __future__ import annotations

from core.domain_events import subscribe
from mail import services
from tickets.domain_events import TicketUpdated


def _on_ticket_updated(event: TicketUpdated) -> None:
    if "status" in event.fields:
        services.resolved_notify(ticket_id=event.ticket_id)


def subscribe_all() -> None:
    subscribe(TicketUpdated, _on_ticket_updated)
