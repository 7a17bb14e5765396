"""Concurrent PATCHes of one ticket leave it valid, and the history holds every one of them."""

from __future__ import annotations

import itertools
import threading

import pytest
from django.apps import apps
from django.db import connection, connections
from rest_framework.test import APIClient

from tickets.models import Category, Priority, Status, Ticket

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections"),
    pytest.mark.django_db(transaction=True),
]

HistoricalTicket = apps.get_model("audit", "HistoricalTicket")
WORKERS = 8
PATCHES_EACH = 10


def test_concurrent_patches_serialise_and_are_all_recorded() -> None:
    ticket = Ticket.objects.create(
        title="Shared", description="Everyone edits me", category="general", priority="low"
    )
    barrier = threading.Barrier(WORKERS)
    failures: list[str] = []
    changes: list[dict[str, str]] = list(
        itertools.islice(
            itertools.cycle(
                [
                    {"status": Status.IN_PROGRESS},
                    {"priority": Priority.CRITICAL, "category": Category.BILLING},
                    {"status": Status.RESOLVED, "title": "Edited"},
                    {"category": Category.TECHNICAL},
                    {"description": "Rewritten", "priority": Priority.MEDIUM},
                ]
            ),
            WORKERS * PATCHES_EACH,
        )
    )

    def agent(offset: int) -> None:
        client = APIClient()
        try:
            barrier.wait()
            for change in changes[offset::WORKERS]:
                response = client.patch(f"/api/tickets/{ticket.pk}/", change, format="json")
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.content[:200]!r}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=agent, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    ticket.refresh_from_db()
    ticket.full_clean()
    rows = list(HistoricalTicket.objects.filter(id=ticket.pk).order_by("history_id"))
    assert len(rows) == 1 + WORKERS * PATCHES_EACH
    # The row lock serialises the saves: the last history row is exactly the stored ticket.
    last = rows[-1]
    for field in ("title", "description", "category", "priority", "status"):
        assert getattr(last, field) == getattr(ticket, field)
    # Each PATCH applied to the state the previous one left (no lost update): every history row
    # differs from its predecessor only in the fields one change names.
    allowed = [set(change) for change in changes]
    for before, after in itertools.pairwise(rows):
        changed = {
            field
            for field in ("title", "description", "category", "priority", "status")
            if getattr(before, field) != getattr(after, field)
        }
        assert any(changed <= fields for fields in allowed), changed
