"""Writes: ticket_create (labels given or suggested), ticket_update (labels become a person's)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import cast

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from accounts.access import SYSTEM
from tickets.models import Ticket
from tickets.services import Suggestion, TicketChanges, ticket_create, ticket_update
from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

TABLE = Ticket._meta.db_table


class TestTicketCreate:
    """The service alone: the caller (intake) brings triage's suggestion."""

    SUGGESTION = Suggestion(
        category="technical", priority="critical", provider="fixed", confidence=0.7
    )

    def test_labels_not_given_are_the_suggestions_and_it_is_recorded(self) -> None:
        ticket = ticket_create(
            title="t", description="d", category="billing", suggestion=self.SUGGESTION
        )

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == ("billing", "critical")
        assert (ticket.category_by_human, ticket.priority_by_human) == (True, False)
        assert (ticket.suggested_category, ticket.suggested_priority) == ("technical", "critical")
        assert ticket.triage_provider == "fixed"
        assert ticket.triage_confidence == pytest.approx(0.7)

    def test_without_a_suggestion_both_labels_are_a_persons_and_nothing_was_triaged(self) -> None:
        ticket = ticket_create(title="t", description="d", category="general", priority="low")

        ticket.refresh_from_db()
        assert (ticket.category_by_human, ticket.priority_by_human) == (True, True)
        assert (ticket.suggested_category, ticket.suggested_priority) == (None, None)
        assert (ticket.triage_provider, ticket.triage_confidence) == ("", None)

    def test_a_label_neither_given_nor_suggested_is_refused(self) -> None:
        with pytest.raises(ValueError, match="category and a priority"):
            ticket_create(title="t", description="d", category="general")
        assert not Ticket.objects.exists()


class TestTicketUpdate:
    def test_status_change_leaves_labels_as_they_were(self) -> None:
        ticket = TicketFactory(category="billing", priority="low")

        updated = ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "in_progress"})

        ticket.refresh_from_db()
        assert updated.status == ticket.status == "in_progress"
        assert (ticket.category, ticket.priority) == ("billing", "low")
        assert (ticket.category_by_human, ticket.priority_by_human) == (False, False)

    @pytest.mark.parametrize(
        ("data", "by_human"),
        [
            ({"category": "account"}, (True, False)),
            ({"priority": "critical"}, (False, True)),
            ({"category": "account", "priority": "critical"}, (True, True)),
            ({"title": "New title", "description": "New text"}, (False, False)),
        ],
    )
    def test_a_label_set_here_counts_as_chosen_by_a_person(
        self, data: TicketChanges, by_human: tuple[bool, bool]
    ) -> None:
        ticket = TicketFactory(
            category="billing",
            priority="low",
            suggested_category="billing",
            suggested_priority="low",
            triage_provider="rules",
        )

        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data=data)

        ticket.refresh_from_db()
        for field, value in data.items():
            assert getattr(ticket, field) == value
        assert (ticket.category_by_human, ticket.priority_by_human) == by_human
        # The original suggestion is never rewritten.
        assert (ticket.suggested_category, ticket.suggested_priority) == ("billing", "low")
        assert ticket.triage_provider == "rules"

    def test_only_editable_fields_are_written(self) -> None:
        ticket = TicketFactory(suggested_category="billing", triage_provider="rules")
        created_at = ticket.created_at

        # More keys than the contract allows, on purpose: the service must drop them.
        forged = {
            "status": "closed",
            "suggested_category": "general",
            "triage_provider": "forged",
            "created_at": created_at - dt.timedelta(days=3),
            "category_by_human": True,
            "id": ticket.pk + 1000,
        }
        ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data=cast(TicketChanges, forged))

        ticket.refresh_from_db()
        assert ticket.status == "closed"
        assert ticket.suggested_category == "billing"
        assert ticket.triage_provider == "rules"
        assert ticket.created_at == created_at
        assert ticket.category_by_human is False
        assert Ticket.objects.count() == 1

    def test_updated_at_moves_created_at_does_not(self) -> None:
        start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
        with time_machine.travel(start, tick=False):
            ticket = TicketFactory()
        with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
            ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "resolved"})
        ticket.refresh_from_db()
        assert ticket.created_at == start
        assert ticket.updated_at == start + dt.timedelta(hours=5)

    def test_unknown_id_raises_does_not_exist(self) -> None:
        with pytest.raises(Ticket.DoesNotExist):
            ticket_update(caller=SYSTEM, ticket_id=987654, data={"status": "closed"})

    def test_a_refused_change_leaves_the_row_untouched(self) -> None:
        ticket = TicketFactory(status="open", priority="low")
        before = Ticket.objects.filter(pk=ticket.pk).values().get()

        with pytest.raises(IntegrityError):
            ticket_update(
                caller=SYSTEM, ticket_id=ticket.pk, data={"status": "closed", "priority": "urgent"}
            )

        assert Ticket.objects.filter(pk=ticket.pk).values().get() == before

    def test_the_row_is_read_with_a_lock(self) -> None:
        ticket = TicketFactory()
        with CaptureQueriesContext(connection) as queries:
            ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "closed"})
        selects = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]
        assert len(selects) == 1
        if connection.features.has_select_for_update:
            assert "FOR UPDATE" in selects[0]
        else:
            # SQLite has no row locks; its writes are serialised by BEGIN IMMEDIATE instead.
            assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="row locks need PostgreSQL"
)
def test_update_waits_for_a_lock_that_conflicts_with_for_update() -> None:
    ticket = TicketFactory(status="open")
    locked = threading.Event()
    release = threading.Event()

    def hold_lock() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # KEY SHARE conflicts with FOR UPDATE but not with a plain UPDATE: this blocks
                # ticket_update only because it reads the row with select_for_update.
                cursor.execute(f"SELECT id FROM {TABLE} WHERE id = %s FOR KEY SHARE", [ticket.pk])
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        with pytest.raises(OperationalError, match="lock"):
            ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "closed"})
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    ticket.refresh_from_db()
    assert ticket.status == "open"
    ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "closed"})
    ticket.refresh_from_db()
    assert ticket.status == "closed"
