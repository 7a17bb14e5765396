"""The change history: who or what set each status and label, when; append-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from accounts.access import SYSTEM
from audit.context import change_source
from core.tests.helpers import assert_api_error
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

HistoricalTicket = apps.get_model("audit", "HistoricalTicket")


def history(api: APIClient, ticket_id: int) -> list[dict[str, Any]]:
    response = api.get(f"/api/tickets/{ticket_id}/history/")
    assert response.status_code == 200, response.content
    entries: list[dict[str, Any]] = response.json()
    return entries


def create(api: APIClient, **body: str) -> dict[str, Any]:
    response = api.post("/api/tickets/", {"title": "T", "description": "D", **body}, format="json")
    assert response.status_code == 201
    ticket: dict[str, Any] = response.json()
    return ticket


def without_at(entries: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(e["field"], e["old"], e["new"], e["source"]) for e in entries]


def test_creation_records_status_and_who_chose_each_label(api: APIClient) -> None:
    triaged = create(api)
    chosen = create(api, category="billing", priority="low")

    assert without_at(history(api, triaged["id"])) == [
        ("status", None, "open", "api"),
        ("category", None, triaged["category"], "triage"),
        ("priority", None, triaged["priority"], "triage"),
    ]
    assert without_at(history(api, chosen["id"])) == [
        ("status", None, "open", "api"),
        ("category", None, "billing", "api"),
        ("priority", None, "low", "api"),
    ]


def test_each_patch_adds_its_changed_fields_oldest_first(api: APIClient) -> None:
    ticket = create(api, category="billing", priority="low")
    url = f"/api/tickets/{ticket['id']}/"
    api.patch(url, {"status": "in_progress"}, format="json")
    api.patch(url, {"status": "in_progress"}, format="json")  # no change: no entry
    api.patch(url, {"priority": "critical", "title": "Urgent"}, format="json")

    entries = history(api, ticket["id"])
    assert without_at(entries[3:]) == [
        ("status", "open", "in_progress", "api"),
        ("priority", "low", "critical", "api"),
        ("title", "T", "Urgent", "api"),
    ]
    stamps = [entry["at"] for entry in entries]
    assert stamps == sorted(stamps)


def test_a_person_overriding_the_ai_label_is_attributed_to_them(api: APIClient) -> None:
    ticket = create(api)
    new = "account" if ticket["category"] != "account" else "billing"
    api.patch(f"/api/tickets/{ticket['id']}/", {"category": new}, format="json")
    assert without_at(history(api, ticket["id"]))[-1] == (
        "category",
        ticket["category"],
        new,
        "api",
    )


def test_changes_outside_the_api_carry_their_source() -> None:
    ticket = services.ticket_create(title="T", description="D", category="billing", priority="low")
    services.ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "closed"})
    with change_source("triage"):
        services.ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "open"})
    sources = list(
        HistoricalTicket.objects.filter(id=ticket.pk)
        .order_by("history_id")
        .values_list("history_source", flat=True)
    )
    assert sources == ["system", "system", "triage"]


def test_unknown_ticket_is_a_404(api: APIClient) -> None:
    assert_api_error(api.get("/api/tickets/424242/history/"), 404)


def test_history_is_read_in_two_queries(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    ticket = create(api)
    for status in ("in_progress", "resolved", "closed", "open"):
        api.patch(f"/api/tickets/{ticket['id']}/", {"status": status}, format="json")
    with django_assert_num_queries(2):
        api.get(f"/api/tickets/{ticket['id']}/history/")


def test_a_rolled_back_change_leaves_no_history() -> None:
    ticket = services.ticket_create(title="T", description="D", category="billing", priority="low")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.ticket_update(caller=SYSTEM, ticket_id=ticket.pk, data={"status": "closed"})
        raise RuntimeError("abort")
    assert HistoricalTicket.objects.filter(id=ticket.pk).count() == 1


def test_the_history_is_capped_to_the_newest_changes(
    api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from audit import selectors

    monkeypatch.setattr(selectors, "HISTORY_MAX_ROWS", 3)
    ticket = create(api, category="billing", priority="low")
    for status in ("in_progress", "resolved", "closed", "open"):
        api.patch(f"/api/tickets/{ticket['id']}/", {"status": status}, format="json")
    # The three newest saves, each diffed against the one before it.
    assert without_at(history(api, ticket["id"])) == [
        ("status", "in_progress", "resolved", "api"),
        ("status", "resolved", "closed", "api"),
        ("status", "closed", "open", "api"),
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_historicalticket SET status = 'closed'",
        "DELETE FROM audit_historicalticket",
    ],
)
def test_the_database_refuses_to_rewrite_history(statement: str) -> None:
    services.ticket_create(title="T", description="D", category="billing", priority="low")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert HistoricalTicket.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_orm_cannot_rewrite_history_either() -> None:
    services.ticket_create(title="T", description="D", category="billing", priority="low")
    with pytest.raises(DatabaseError), transaction.atomic():
        HistoricalTicket.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        HistoricalTicket.objects.update(history_source="forged")
    assert Ticket.objects.count() == 1
