"""Query counts: the list is one count plus one page query, whatever the page or the filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries
from rest_framework.test import APIClient

from accounts.models import Role, User
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


@pytest.mark.parametrize(
    "params", [{}, {"ordering": "due"}, {"assignee": "me"}, {"team": "none"}, {"search": "a"}]
)
def test_accounts_mode_lists_read_people_and_teams_in_the_page_query(
    api: APIClient, settings: Any, params: dict[str, str]
) -> None:
    """Requester, team and assignee come joined: as many queries for 30 rows as for 3."""
    settings.ACCESS_MODE = "accounts"
    agent = User.objects.create(email="agent@example.com", name="Ada", role=Role.AGENT)
    api.force_authenticate(agent)
    team_model = Ticket._meta.get_field("team").related_model
    teams = [team_model._default_manager.create(name=f"Team {n}") for n in range(3)]

    def add(count: int) -> None:
        for n in range(count):
            requester = User.objects.create(email=f"r{Ticket.objects.count()}@example.com")
            TicketFactory(
                requester=requester,
                team=teams[n % 3] if n % 4 else None,
                assignee=agent if n % 2 else None,
                title="a ticket",
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(LIST, params)
        assert response.status_code == 200
        return len(captured.captured_queries)

    add(3)
    few = queries()
    add(27)
    assert queries() == few
