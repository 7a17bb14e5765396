from __future__ import annotations

from tickets.domain_events import TicketChanged


def refresh_ticket_sla(event: TicketChanged) -> None:
    pass
