"""What the SLA app announces (see `core.domain_events`). Subscribers: the live stream
(`events`: `ticket.sla_breached`) and, with email configured, the mail app (a notice to the
assignee or the team)."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain_events import DomainEvent

FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"


@dataclass(frozen=True)
class SlaBreached(DomainEvent):
    """A ticket's target (`first_response` or `resolution`) passed its due time unmet. Announced
    once per target by the breach sweep."""

    ticket_id: int
    target: str
