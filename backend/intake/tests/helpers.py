"""Filing tickets in tests of other apps, through the product's one path."""

from __future__ import annotations

from accounts.access import SYSTEM
from intake.services import ticket_file
from tickets.models import Ticket


def file_ticket(
    *, title: str, description: str, category: str | None = None, priority: str | None = None
) -> Ticket:
    """A ticket filed as the API files it, by the system (an agent's rights, no requester):
    labels not given come from triage."""
    return ticket_file(
        caller=SYSTEM, title=title, description=description, category=category, priority=priority
    ).ticket
