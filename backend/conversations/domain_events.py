"""What the conversation services announce (see `core.domain_events`). Subscribers: the live
stream (`events`: `message.created` to those who may see the message), and later mail (sends
public agent replies) and sla."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain_events import DomainEvent


@dataclass(frozen=True)
class MessageCreated(DomainEvent):
    """A message was posted on a ticket. `internal`: an agent's note, never shown to the
    requester. `author_id` is None for the system; `via` is web, api or email."""

    ticket_id: int
    message_id: int
    internal: bool
    author_id: int | None
    via: str
