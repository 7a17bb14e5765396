"""X-Total-Count of a list narrowed by a filter the label counters know nothing of (assignee,
team, needs_triage, sla; `selectors.UNCOUNTED_FILTERS`): counted by the database, no further
than `search.EXACT_COUNT_LIMIT` + 1 rows, exact up to the limit, an estimate flagged as such
above it."""

from __future__ import annotations

import pytest
from django.db import connection
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from accounts.models import Role, User
from tickets import search
from tickets.models import Ticket
from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

LIST = "/api/tickets/"


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(search, "EXACT_COUNT_LIMIT", 3)
    return 3


def test_a_count_up_to_the_limit_is_exact(
    api: APIClient, small_limit: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Three unassigned tickets of five, a page of two: the page, then the bounded count."""
    agent = User.objects.create(email="agent@example.com", role=Role.AGENT)
    TicketFactory.create_batch(3)
    TicketFactory.create_batch(2, assignee=agent)

    with django_assert_num_queries(2):
        response = api.get(LIST, {"assignee": "none", "limit": "2"})

    assert len(response.json()) == 2
    assert response["X-Total-Count"] == "3"
    assert response["X-Total-Count-Exact"] == "true"


def test_a_count_above_the_limit_is_an_estimate_flagged_as_such(
    api: APIClient, small_limit: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Five matches, limit three: the count stops at four rows; the header then gives the
    limit (SQLite) or the planner's estimate, never below the limit (PostgreSQL, one EXPLAIN
    more)."""
    TicketFactory.create_batch(5)

    postgres = connection.vendor == "postgresql"
    with django_assert_num_queries(3 if postgres else 2):
        response = api.get(LIST, {"assignee": "none", "needs_triage": "false", "limit": "2"})

    assert len(response.json()) == 2
    assert response["X-Total-Count-Exact"] == "false"
    total = int(response["X-Total-Count"])
    if postgres:
        assert total >= small_limit
    else:
        assert total == small_limit


def test_a_first_page_holding_every_match_is_its_own_count(
    api: APIClient, small_limit: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Whatever the limit: no count query, and exact."""
    TicketFactory.create_batch(5)

    with django_assert_num_queries(1):
        response = api.get(LIST, {"team": "none", "limit": "10"})

    assert response["X-Total-Count"] == "5"
    assert response["X-Total-Count-Exact"] == "true"


def test_an_empty_result_counts_zero_exactly(
    api: APIClient, small_limit: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Tickets exist, none match: zero, exact, never an estimate, with the page query only."""
    TicketFactory.create_batch(5)

    with django_assert_num_queries(1):
        response = api.get(LIST, {"needs_triage": "true"})

    assert response.json() == []
    assert response["X-Total-Count"] == "0"
    assert response["X-Total-Count-Exact"] == "true"


def test_a_later_page_counts_the_whole_list(
    api: APIClient, small_limit: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """The count covers every page, not the one read through the cursor."""
    TicketFactory.create_batch(3)
    first = api.get(LIST, {"assignee": "none", "limit": "2"})
    next_url = first["Link"].split(">")[0].lstrip("<")

    with django_assert_num_queries(2):
        second = api.get(next_url)

    assert len(second.json()) == 1
    assert second["X-Total-Count"] == "3"
    assert second["X-Total-Count-Exact"] == "true"


def test_at_the_real_limit_the_count_is_exact_and_one_more_is_an_estimate(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """With the shipped limit (10,000): exactly the limit is still exact, one more is not."""
    limit = search.EXACT_COUNT_LIMIT
    TicketFactory.create_batch(1)
    rows = [
        Ticket(
            title=f"Bulk {n}",
            description="Bulk ticket.",
            category="general",
            priority="low",
            status="open",
        )
        for n in range(limit - 1)
    ]
    Ticket.objects.bulk_create(rows, batch_size=2000)

    response = api.get(LIST, {"assignee": "none", "limit": "1"})
    assert response["X-Total-Count"] == str(limit)
    assert response["X-Total-Count-Exact"] == "true"

    TicketFactory.create_batch(1)
    response = api.get(LIST, {"assignee": "none", "limit": "1"})
    assert response["X-Total-Count-Exact"] == "false"
    assert int(response["X-Total-Count"]) >= limit
