"""Writes: ticket_create (triage fills and records) and ticket_update (labels become a person's)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from tickets.models import Ticket
from tickets.services import ticket_create, ticket_update
from tickets.tests.factories import TicketFactory
from tickets.tests.providers import CRASHING, DECLINING, FIXED, RULES, FixedProvider
from triage import chain

pytestmark = pytest.mark.django_db

TABLE = Ticket._meta.db_table


class TestTicketCreate:
    def test_omitted_labels_are_filled_by_triage_and_the_suggestion_recorded(
        self, fixed_triage: type[FixedProvider]
    ) -> None:
        ticket = ticket_create(title="Export fails", description="The CSV export times out.")

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == ("technical", "critical")
        assert (ticket.suggested_category, ticket.suggested_priority) == ("technical", "critical")
        assert ticket.triage_provider == "fixed"
        assert ticket.triage_confidence == pytest.approx(0.7)  # the weaker of 0.9 and 0.7
        assert ticket.category_by_human is False
        assert ticket.priority_by_human is False
        assert ticket.status == "open"

    def test_triage_sees_the_title_and_description(self, fixed_triage: type[FixedProvider]) -> None:
        ticket_create(title="  Export fails ", description=" The CSV export times out.\n")
        assert len(fixed_triage.seen) == 1
        assert fixed_triage.seen[0].title == "Export fails"
        assert fixed_triage.seen[0].description == "The CSV export times out."

    def test_given_labels_are_kept_and_count_as_a_persons_choice(
        self, fixed_triage: type[FixedProvider]
    ) -> None:
        ticket = ticket_create(
            title="Refund", description="Please refund me.", category="billing", priority="low"
        )

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == ("billing", "low")
        assert ticket.category_by_human is True
        assert ticket.priority_by_human is True
        # The overridden suggestion is kept: it is how the model is measured.
        assert (ticket.suggested_category, ticket.suggested_priority) == ("technical", "critical")
        assert ticket.triage_provider == "fixed"

    @pytest.mark.parametrize(
        ("given", "expected", "by_human"),
        [
            ({"category": "account"}, ("account", "critical"), (True, False)),
            ({"priority": "medium"}, ("technical", "medium"), (False, True)),
        ],
    )
    def test_one_given_label_the_other_from_triage(
        self,
        fixed_triage: type[FixedProvider],
        given: dict[str, Any],
        expected: tuple[str, str],
        by_human: tuple[bool, bool],
    ) -> None:
        ticket = ticket_create(title="Locked", description="Locked out of the app.", **given)

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == expected
        assert (ticket.category_by_human, ticket.priority_by_human) == by_human

    def test_a_label_equal_to_the_suggestion_still_counts_as_chosen(
        self, fixed_triage: type[FixedProvider]
    ) -> None:
        ticket = ticket_create(title="t", description="d", category="technical")
        assert ticket.category_by_human is True

    def test_a_real_providers_answer_is_recorded(
        self, triage_providers: Callable[..., None]
    ) -> None:
        triage_providers(RULES)
        title, description = "Charged twice", "My card was charged twice for the same invoice."
        expected = chain.classify(title=title, description=description).prediction

        ticket = ticket_create(title=title, description=description)

        ticket.refresh_from_db()
        assert ticket.category == ticket.suggested_category == expected.category
        assert ticket.priority == ticket.suggested_priority == expected.priority
        assert ticket.triage_provider == expected.provider == "rules"
        assert ticket.triage_confidence == pytest.approx(expected.confidence)
        assert ticket.triage_confidence is not None
        assert 0 <= ticket.triage_confidence <= 1

    def test_failing_providers_fall_through_to_the_next(
        self, triage_providers: Callable[..., None]
    ) -> None:
        triage_providers(CRASHING, DECLINING, FIXED, RULES)
        ticket = ticket_create(title="t", description="d")
        assert ticket.triage_provider == "fixed"

    def test_a_ticket_is_created_even_when_every_provider_fails(
        self, triage_providers: Callable[..., None]
    ) -> None:
        triage_providers(CRASHING, DECLINING)
        ticket = ticket_create(title="Help", description="Something happened.")

        ticket.refresh_from_db()
        assert (ticket.category, ticket.priority) == ("general", "medium")
        assert ticket.triage_provider == "fallback"
        assert ticket.triage_confidence == 0.0

    def test_created_at_is_set_by_the_server(self, fixed_triage: type[FixedProvider]) -> None:
        moment = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
        with time_machine.travel(moment, tick=False):
            ticket = ticket_create(title="t", description="d")
        ticket.refresh_from_db()
        assert ticket.created_at == moment
        assert ticket.updated_at == moment


class TestTicketUpdate:
    def test_status_change_leaves_labels_as_they_were(self) -> None:
        ticket = TicketFactory(category="billing", priority="low")

        updated = ticket_update(ticket_id=ticket.pk, data={"status": "in_progress"})

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
        self, data: dict[str, str], by_human: tuple[bool, bool]
    ) -> None:
        ticket = TicketFactory(
            category="billing",
            priority="low",
            suggested_category="billing",
            suggested_priority="low",
            triage_provider="rules",
        )

        ticket_update(ticket_id=ticket.pk, data=data)

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

        ticket_update(
            ticket_id=ticket.pk,
            data={
                "status": "closed",
                "suggested_category": "general",
                "triage_provider": "forged",
                "created_at": created_at - dt.timedelta(days=3),
                "category_by_human": True,
                "id": ticket.pk + 1000,
            },
        )

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
            ticket_update(ticket_id=ticket.pk, data={"status": "resolved"})
        ticket.refresh_from_db()
        assert ticket.created_at == start
        assert ticket.updated_at == start + dt.timedelta(hours=5)

    def test_unknown_id_raises_does_not_exist(self) -> None:
        with pytest.raises(Ticket.DoesNotExist):
            ticket_update(ticket_id=987654, data={"status": "closed"})

    def test_a_refused_change_leaves_the_row_untouched(self) -> None:
        ticket = TicketFactory(status="open", priority="low")
        before = Ticket.objects.filter(pk=ticket.pk).values().get()

        with pytest.raises(IntegrityError):
            ticket_update(ticket_id=ticket.pk, data={"status": "closed", "priority": "urgent"})

        assert Ticket.objects.filter(pk=ticket.pk).values().get() == before

    def test_the_row_is_read_with_a_lock(self) -> None:
        ticket = TicketFactory()
        with CaptureQueriesContext(connection) as queries:
            ticket_update(ticket_id=ticket.pk, data={"status": "closed"})
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
            ticket_update(ticket_id=ticket.pk, data={"status": "closed"})
    finally:
        release.set()
        holder.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    ticket.refresh_from_db()
    assert ticket.status == "open"
    ticket_update(ticket_id=ticket.pk, data={"status": "closed"})
    ticket.refresh_from_db()
    assert ticket.status == "closed"
