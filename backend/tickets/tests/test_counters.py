"""The trigger-kept counters always equal a count over the tickets themselves."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count, F, Q
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from accounts.access import SYSTEM
from intake.services import ticket_file
from tickets import selectors, services
from tickets.models import Category, Priority, Status, Ticket, TicketCounter
from tickets.services import TicketChanges
from tickets.tests.factories import TicketFactory

KEY = ("category", "priority", "status", "suggested_category", "category_by_human")


def counted_by_triggers() -> dict[tuple[Any, ...], int]:
    return {
        tuple(row[k] for k in KEY): row["tickets"]
        for row in TicketCounter.objects.filter(tickets__gt=0).values(*KEY, "tickets")
    }


def counted_from_tickets() -> dict[tuple[Any, ...], int]:
    rows = Ticket.objects.values(*KEY).annotate(n=Count("id")).order_by()
    return {
        tuple("" if k == "suggested_category" and r[k] is None else r[k] for k in KEY): r["n"]
        for r in rows
    }


def assert_counters_agree() -> None:
    assert counted_by_triggers() == counted_from_tickets()
    assert not TicketCounter.objects.filter(tickets__lt=0).exists()


@pytest.mark.django_db
def test_creates_through_every_path_are_counted() -> None:
    ticket_file(caller=SYSTEM, title="Refund", description="Charged twice")
    ticket_file(caller=SYSTEM, title="Login", description="Locked out", category="account")
    TicketFactory.create_batch(7)
    Ticket.objects.bulk_create(
        [
            Ticket(title=f"Bulk {n}", description="x", category="general", priority="low")
            for n in range(25)
        ]
    )
    assert_counters_agree()
    assert selectors.ticket_stats()["total_tickets"] == 34


@pytest.mark.django_db
def test_updates_move_tickets_between_counters() -> None:
    tickets = TicketFactory.create_batch(12, status="open")
    for n, ticket in enumerate(tickets):
        data: TicketChanges = {
            "status": Status.values[n % 4],
            "priority": Priority.values[(n + 1) % 4],
        }
        if n % 3 == 0:
            data["category"] = Category.values[n % 4]
        services.ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data=data)
    services.ticket_update(
        caller=SYSTEM, ticket_id=tickets[0].pk, data={"title": "Only the title changes"}
    )
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[:5]]).update(status="closed")
    Ticket.objects.filter(category="billing").update(suggested_category="account")
    Ticket.objects.filter(suggested_category="account").update(category=F("suggested_category"))
    assert_counters_agree()


@pytest.mark.django_db
def test_deletes_are_counted() -> None:
    tickets = TicketFactory.create_batch(10)
    tickets[0].delete()
    Ticket.objects.filter(pk__in=[t.pk for t in tickets[1:4]]).delete()
    assert_counters_agree()
    Ticket.objects.all().delete()
    assert counted_by_triggers() == {}


@pytest.mark.django_db
def test_truncate_empties_the_counters() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    TicketFactory.create_batch(5)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Ticket._meta.db_table} CASCADE")
    assert counted_by_triggers() == {}


@pytest.mark.django_db
def test_stats_equal_an_aggregate_over_the_tickets() -> None:
    for n in range(40):
        ticket_file(
            caller=SYSTEM, title=f"Ticket {n}", description=["Refund", "Crash", "Login"][n % 3]
        )
    for n, ticket in enumerate(Ticket.objects.all()[:15]):
        services.ticket_update(
            caller=SYSTEM, ticket_id=ticket.pk, data={"category": Category.values[n % 4]}
        )
    # Read as a plain mapping: the loop below indexes it with a variable key.
    stats: Mapping[str, Any] = selectors.ticket_stats()
    for field, key in (("priority", "priority_breakdown"), ("category", "category_breakdown")):
        expected = dict(Ticket.objects.values_list(field).annotate(n=Count("id")).order_by())
        assert stats[key] == {value: expected.get(value, 0) for value in stats[key]}
    reviewed = Ticket.objects.filter(category_by_human=True, suggested_category__isnull=False)
    assert stats["acceptance"]["reviewed"] == reviewed.count()
    accepted = reviewed.filter(category=F("suggested_category")).count()
    assert reviewed.count()
    assert stats["acceptance"]["rate"] == round(accepted / reviewed.count(), 3)
    assert stats["open_tickets"] == Ticket.objects.filter(status="open").count()


@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_never_drift() -> None:
    """Eight threads create and relabel tickets at once, through the services."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; concurrency is PostgreSQL's to prove")
    seeds = TicketFactory.create_batch(16, status="open")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(worker: int) -> None:
        try:
            start.wait()
            for n in range(25):
                if n % 2:
                    ticket_file(caller=SYSTEM, title=f"W{worker} #{n}", description="Concurrent")
                else:
                    target = seeds[(worker + n) % len(seeds)]
                    services.ticket_update(
                        caller=SYSTEM,
                        ticket_id=target.pk,
                        data={
                            "status": Status.values[(worker + n) % 4],
                            "category": Category.values[n % 4],
                            "priority": Priority.values[worker % 4],
                        },
                    )
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Ticket.objects.count() == 16 + 8 * 12
    assert_counters_agree()


@pytest.mark.django_db
def test_list_counts_come_from_the_counters(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    TicketFactory.create_batch(30)
    want = Ticket.objects.filter(
        Q(status__in=["open", "closed"]) & Q(priority="high") & Q(category__in=["billing"])
    ).count()
    with django_assert_num_queries(2):
        response = api.get(
            "/api/tickets/", {"status": "open,closed", "priority": "high", "category": "billing"}
        )
    assert response["X-Total-Count"] == str(want)
    assert response["X-Total-Count-Exact"] == "true"


@pytest.mark.django_db(transaction=True)
def test_flushing_the_database_leaves_no_count_behind() -> None:
    # flush empties tables in an arbitrary order: repeat to meet both orders.
    for _ in range(6):
        TicketFactory.create_batch(3)
        call_command("flush", interactive=False, verbosity=0)
        assert counted_by_triggers() == {}
        assert not TicketCounter.objects.exists()


@pytest.mark.django_db
def test_rebuild_recounts_counters_edited_by_hand() -> None:
    TicketFactory.create_batch(12)
    TicketCounter.objects.update(tickets=999)
    out = StringIO()
    call_command("rebuild_ticket_counters", stdout=out)
    assert "Counted 12 tickets" in out.getvalue()
    assert_counters_agree()


@pytest.mark.django_db
def test_every_counter_trigger_survives_the_migrations() -> None:
    """A migration that rebuilds the ticket table (SQLite copies it to alter a column) must put
    the counter triggers back (`tickets/migrations/_table_rebuild.py`); without them the counts
    silently stop moving."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'tickets_ticket'"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'tickets_ticket'::regclass "
                "AND NOT tgisinternal"
            )
        names = {name for (name,) in cursor.fetchall()}
    expected = {"ticket_counter_insert", "ticket_counter_update", "ticket_counter_delete"}
    if connection.vendor == "postgresql":
        expected |= {"ticket_counter_truncate"}
    assert expected <= names


@pytest.mark.django_db
def test_ticket_foreign_keys_are_checked_immediately() -> None:
    """Deferred keys would leave a pending trigger event per inserted ticket, and PostgreSQL then
    refuses TRUNCATE and CREATE INDEX in that transaction (the seeder does both)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no deferrable-constraint trigger events")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'tickets_ticket'::regclass "
            "AND contype = 'f' AND condeferrable"
        )
        assert cursor.fetchall() == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage parameters")
def test_the_counter_table_is_never_scanned_in_parallel_and_vacuumed_often() -> None:
    """Dead versions of its few hundred rows pile up between vacuums; a parallel scan of them
    cost 25 of a stats call's 33 ms at ten million tickets (migration 0014)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reloptions FROM pg_class WHERE relname = %s", [TicketCounter._meta.db_table]
        )
        options = set(cursor.fetchone()[0] or [])
    assert {"parallel_workers=0", "autovacuum_vacuum_scale_factor=0"} <= options
