"""While the database is unreachable every API call answers 503 JSON with Retry-After.

The database "goes away" through an execute wrapper that raises what psycopg/sqlite raise when
the server is down or restarting. The real thing (PostgreSQL restarted under load) is
bench/restart_loss.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.urls import path
from pytest_django import Settings
from rest_framework.test import APIClient

from config.urls import urlpatterns as real_urlpatterns
from core.tests.helpers import assert_api_error
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@contextmanager
def database_down(error: type[Exception] = OperationalError) -> Iterator[None]:
    def refuse(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> None:
        raise error("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


def plain_django_view(request: HttpRequest) -> HttpResponse:
    Ticket.objects.count()
    return HttpResponse("unreachable")


urlpatterns = [path("api/test-plain-db/", plain_django_view), *real_urlpatterns]


@pytest.fixture
def ticket() -> Ticket:
    return Ticket.objects.create(
        title="Login", description="Cannot log in", category="account", priority="high"
    )


def calls(ticket_id: int) -> list[tuple[str, str, dict[str, str] | None]]:
    return [
        ("get", "/api/tickets/", None),
        ("get", "/api/tickets/?search=x&status=open", None),
        ("post", "/api/tickets/", {"title": "A", "description": "B"}),
        ("get", f"/api/tickets/{ticket_id}/", None),
        ("patch", f"/api/tickets/{ticket_id}/", {"status": "closed"}),
        ("get", f"/api/tickets/{ticket_id}/history/", None),
        ("get", "/api/tickets/stats/", None),
        ("get", "/api/health/", None),
    ]


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_every_database_backed_call_is_a_503_with_retry_after(
    api: APIClient, ticket: Ticket, settings: Settings, error: type[Exception]
) -> None:
    settings.RETRY_AFTER_UNAVAILABLE = 7
    for method, url, body in calls(ticket.pk):
        with database_down(error):
            response = getattr(api, method)(url, body, format="json")
        found = assert_api_error(response, 503)
        assert found["code"] == "unavailable", (method, url)
        assert response["Retry-After"] == "7", (method, url)


def test_rate_limited_calls_are_503_too(api: APIClient, settings: Settings) -> None:
    """The throttle's counters are in the database cache: it being down is not a 500."""
    settings.RATE_LIMIT_CLASSIFY = "100/min"
    with database_down():
        response = api.post("/api/tickets/classify/", {"description": "x"}, format="json")
    assert_api_error(response, 503)


@pytest.mark.urls(__name__)
def test_plain_django_views_are_covered_by_the_middleware(api: APIClient) -> None:
    api.raise_request_exception = False
    with database_down():
        response = api.get("/api/test-plain-db/")
    assert_api_error(response, 503)
    assert response["Retry-After"]


def test_the_service_recovers_by_itself(api: APIClient, ticket: Ticket) -> None:
    with database_down():
        assert api.get("/api/tickets/").status_code == 503
    assert api.get("/api/tickets/").status_code == 200
    assert (
        api.post("/api/tickets/", {"title": "A", "description": "B"}, format="json").status_code
        == 201
    )


def test_connections_are_health_checked(settings: Settings) -> None:
    """A connection the server dropped is noticed before reuse instead of failing a request.

    Django checks a persistent connection before reuse and, with a PostgreSQL pool, has the pool
    check each connection it hands out (`ConnectionPool.check_connection`), both by this flag.
    """
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
