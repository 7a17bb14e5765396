"""What triage does when a ticket changes (see `tickets.domain_events`)."""

from __future__ import annotations

from tickets.domain_events import TicketChanged
from triage.learning.counter import record_human_labels


def count_human_labels(event: TicketChanged) -> None:
    """A person chose a label on this ticket: count it toward the next retrain. One write counts
    once, whether it set one label or both. Never raises (see `record_human_labels`)."""
    if event.human_labels:
        record_human_labels()
