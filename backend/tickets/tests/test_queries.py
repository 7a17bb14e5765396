"""Query counts: the list is one count plus one page query, whatever the page or the filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from tickets.models import Ticket
from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

LIST = "/api/tickets/"


@pytest.fixture
def many_tickets() -> list[Ticket]:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    return [
        TicketFactory(
            created_at=start + dt.timedelta(minutes=i), status="open" if i % 2 else "closed"
        )
        for i in range(30)
    ]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"limit": 5},
        {"limit": 200},
        {"status": "open"},
        {"category": "billing,technical", "priority": "high", "status": "open,closed"},
        {"search": "a"},
        {"search": "a", "status": "closed", "limit": 3},
    ],
)
def test_list_is_at_most_two_queries_three_for_a_search_on_postgresql(
    api: APIClient,
    many_tickets: list[Ticket],
    django_assert_max_num_queries: DjangoAssertNumQueries,
    params: dict[str, str | int],
) -> None:
    # The page, then its total; a search whose first page holds every match is counted by the
    # page itself, in one query. On PostgreSQL a search first asks the planner (EXPLAIN) and,
    # when the planner calls it dense, tries it on the newest tickets (tickets.search._sample).
    searching = "search" in params and connection.vendor == "postgresql"
    with django_assert_max_num_queries(3 if searching else 2):
        response = api.get(LIST, params)
    assert response.status_code == 200


def test_a_later_page_is_also_two_queries(
    api: APIClient, many_tickets: list[Ticket], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    first = api.get(LIST, {"limit": 4})
    next_url = first["Link"].split(">")[0].lstrip("<")
    with django_assert_num_queries(2):
        second = api.get(next_url)
    assert len(second.json()) == 4


def test_list_query_count_does_not_grow_with_the_page(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    TicketFactory.create_batch(3)
    with django_assert_num_queries(2):
        api.get(LIST)
    TicketFactory.create_batch(60)
    with django_assert_num_queries(2):
        assert len(api.get(LIST, {"limit": 60}).json()) == 60


def test_a_refused_filter_costs_no_query(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(0):
        assert api.get(LIST, {"status": "bogus"}).status_code == 400


def test_detail_is_one_query(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    ticket = TicketFactory()
    with django_assert_num_queries(1):
        assert api.get(f"/api/tickets/{ticket.pk}/").status_code == 200
