"""What the ticket services announce (see `core.domain_events`). Subscribers: the live stream
(`events`), the triage learning loop (`triage`), and whoever needs to react to a ticket next."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain_events import DomainEvent


@dataclass(frozen=True)
class TicketChanged(DomainEvent):
    """A ticket was created or changed. `human_labels` names the labels (category, priority) a
    person chose in this write: the triage loop learns from those and only those."""

    ticket_id: int
    human_labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TicketCreated(TicketChanged):
    """A ticket was filed."""


@dataclass(frozen=True)
class TicketUpdated(TicketChanged):
    """A ticket was changed; `fields` names the fields the write set."""

    fields: frozenset[str] = frozenset()
