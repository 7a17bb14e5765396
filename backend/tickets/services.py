"""Writes. Every change to a ticket goes through these functions."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

from events.hub import announce
from tickets.models import Ticket
from triage import chain
from triage.learning import counter as learning

EDITABLE_FIELDS = ("title", "description", "category", "priority", "status")
LABEL_FIELDS = ("category", "priority")


def ticket_create(
    *,
    title: str,
    description: str,
    category: str | None = None,
    priority: str | None = None,
    on_created: Callable[[Ticket], None] | None = None,
) -> Ticket:
    """Create a ticket. Omitted labels come from triage; given labels count as a person's choice.

    `on_created(ticket)` runs inside the creating transaction (the idempotency key is stored
    there); if it raises, the ticket is not created.

    Triage always runs (usually a cache hit after the form's live suggestion) so the suggestion is
    recorded next to the final labels; that is what the acceptance rate and retraining read. It
    runs before the transaction so a slow model never holds a database lock.
    """
    result = chain.classify(title=title, description=description)
    suggestion = result.prediction
    with transaction.atomic():
        ticket = Ticket.objects.create(
            title=title,
            description=description,
            category=category or suggestion.category,
            priority=priority or suggestion.priority,
            suggested_category=suggestion.category,
            suggested_priority=suggestion.priority,
            triage_provider=suggestion.provider,
            triage_confidence=suggestion.confidence,
            category_by_human=category is not None,
            priority_by_human=priority is not None,
        )
        if on_created is not None:
            on_created(ticket)
        if category is not None or priority is not None:
            # Counted after commit: a rolled-back ticket must not count towards retraining.
            # Registered before the announcement (callbacks run in order), so a client that
            # refreshes on the event already sees the label counted.
            transaction.on_commit(learning.record_human_labels)
        transaction.on_commit(partial(announce, "ticket.created", ticket.pk))
        return ticket


def ticket_update(*, ticket_id: int, data: dict[str, Any]) -> Ticket:
    """Apply a partial update under a row lock; a label set here counts as chosen by a person.

    Raises `Ticket.DoesNotExist` for an unknown id.
    """
    changes = {key: value for key, value in data.items() if key in EDITABLE_FIELDS}
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
        for field, value in changes.items():
            setattr(ticket, field, value)
        for field in LABEL_FIELDS:
            if field in changes:
                setattr(ticket, f"{field}_by_human", True)
        ticket.save()
        if any(field in changes for field in LABEL_FIELDS):
            transaction.on_commit(learning.record_human_labels)  # before announcing, as above
        transaction.on_commit(partial(announce, "ticket.updated", ticket.pk))
        return ticket
