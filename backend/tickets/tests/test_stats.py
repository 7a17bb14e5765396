"""GET /api/tickets/stats/ and the ticket_stats selector: exact shape and values."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from pytest_django import DjangoAssertNumQueries, Settings
from rest_framework.test import APIClient

from tickets import selectors
from tickets.api.serializers import StatsSerializer
from tickets.models import Category, Priority, Status
from tickets.selectors import ticket_stats
from tickets.tests.factories import TicketFactory
from tickets.tests.providers import FixedProvider

pytestmark = pytest.mark.django_db

STATS = "/api/tickets/stats/"
UTC = dt.UTC


def at(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# The counters' query carries both live SLA counts; the 30-day attainment is one query more.
SLA_QUERIES = 1


def frozen(moment: dt.datetime) -> time_machine.travel:
    return time_machine.travel(moment, tick=False)


def test_exact_shape_and_zeros_with_no_tickets(api: APIClient) -> None:
    response = api.get(STATS)
    assert response.status_code == 200
    assert response.json() == {
        "total_tickets": 0,
        "open_tickets": 0,
        "avg_tickets_per_day": 0,
        "priority_breakdown": {"low": 0, "medium": 0, "high": 0, "critical": 0},
        "category_breakdown": {"billing": 0, "technical": 0, "account": 0, "general": 0},
        "status_breakdown": {"open": 0, "in_progress": 0, "resolved": 0, "closed": 0},
        "acceptance": {
            "rate": None,
            "reviewed": 0,
            "by_category": {"billing": None, "technical": None, "account": None, "general": None},
        },
        "sla": {
            "at_risk": 0,
            "breached": 0,
            "window_days": 30,
            "attainment": {
                p: {"first_response": None, "resolution": None}
                for p in ("low", "medium", "high", "critical")
            },
        },
    }


def test_counts_and_breakdowns(api: APIClient) -> None:
    now = at(2026, 4, 10, 12)
    spec = [
        # category, priority, status
        ("billing", "high", "open"),
        ("billing", "low", "open"),
        ("billing", "low", "closed"),
        ("technical", "critical", "in_progress"),
        ("technical", "critical", "open"),
        ("account", "medium", "resolved"),
        ("general", "low", "closed"),
    ]
    for category, priority, status in spec:
        TicketFactory(category=category, priority=priority, status=status, created_at=now)

    with frozen(now):
        body = api.get(STATS).json()

    assert body["total_tickets"] == 7
    assert body["open_tickets"] == 3
    assert body["avg_tickets_per_day"] == 7.0
    assert body["priority_breakdown"] == {"low": 3, "medium": 1, "high": 1, "critical": 2}
    assert body["category_breakdown"] == {"billing": 3, "technical": 2, "account": 1, "general": 1}
    assert body["status_breakdown"] == {"open": 3, "in_progress": 1, "resolved": 1, "closed": 2}


def test_every_breakdown_key_is_present_even_at_zero(api: APIClient) -> None:
    TicketFactory(category="general", priority="critical", status="closed")
    body = api.get(STATS).json()
    assert body["priority_breakdown"] == {"low": 0, "medium": 0, "high": 0, "critical": 1}
    assert body["category_breakdown"] == {"billing": 0, "technical": 0, "account": 0, "general": 1}
    assert body["status_breakdown"] == {"open": 0, "in_progress": 0, "resolved": 0, "closed": 1}
    assert set(body["priority_breakdown"]) == set(Priority.values)
    assert set(body["category_breakdown"]) == set(Category.values)
    assert set(body["status_breakdown"]) == set(Status.values)


@pytest.mark.parametrize(
    ("created", "now", "expected"),
    [
        # One day (today), four tickets.
        ([at(2026, 3, 11, 1)] * 4, at(2026, 3, 11, 23), 4.0),
        # First ticket 9 days ago: 10 calendar days inclusive, 4 tickets -> 0.4.
        (
            [at(2026, 3, 2, 8), at(2026, 3, 5, 8), at(2026, 3, 11, 8), at(2026, 3, 11, 9)],
            at(2026, 3, 11, 12),
            0.4,
        ),
        # Five tickets over three days -> 1.666... rounds to 1.7.
        ([at(2026, 3, 9, 23, 59)] + [at(2026, 3, 11, 0, 1)] * 4, at(2026, 3, 11, 12), 1.7),
        # Seven over three days -> 2.333... rounds to 2.3.
        ([at(2026, 3, 9)] * 7, at(2026, 3, 11, 23, 59), 2.3),
        # No ticket today, the first 30 days ago: 31 days, 3 tickets -> 0.0967... -> 0.1.
        ([at(2026, 2, 9, 10)] * 3, at(2026, 3, 11, 10), 0.1),
        # Across a month and a leap day: 2028-02-28 .. 2028-03-01 is 3 days.
        ([at(2028, 2, 28, 12)] * 6, at(2028, 3, 1, 12), 2.0),
        # Over a year: 2025-01-01 .. 2025-12-31 is 365 days, 73 tickets -> 0.2.
        ([at(2025, 1, 1)] * 73, at(2025, 12, 31, 23), 0.2),
    ],
)
def test_avg_tickets_per_day_over_calendar_days_inclusive(
    api: APIClient, created: list[dt.datetime], now: dt.datetime, expected: float
) -> None:
    for moment in created:
        TicketFactory(created_at=moment)
    with frozen(now):
        assert api.get(STATS).json()["avg_tickets_per_day"] == expected
        assert ticket_stats()["avg_tickets_per_day"] == expected


def test_avg_changes_as_days_pass_without_new_tickets(api: APIClient) -> None:
    TicketFactory.create_batch(6, created_at=at(2026, 6, 1, 9))
    with frozen(at(2026, 6, 1, 18)):
        assert api.get(STATS).json()["avg_tickets_per_day"] == 6.0
    with frozen(at(2026, 6, 2, 0, 0, 1)):
        assert api.get(STATS).json()["avg_tickets_per_day"] == 3.0
    with frozen(at(2026, 6, 6, 9)):
        assert api.get(STATS).json()["avg_tickets_per_day"] == 1.0


def test_the_first_tickets_day_is_taken_in_time_zone(api: APIClient, settings: Settings) -> None:
    # 03:30 UTC on the 10th is still the 9th (23:30) in New York.
    TicketFactory.create_batch(2, created_at=at(2026, 3, 10, 3, 30))
    now = at(2026, 3, 10, 20)  # the 10th in both zones
    with frozen(now):
        settings.TIME_ZONE = "UTC"
        assert api.get(STATS).json()["avg_tickets_per_day"] == 2.0  # one day: the 10th
        settings.TIME_ZONE = "America/New_York"
        assert api.get(STATS).json()["avg_tickets_per_day"] == 1.0  # the 9th and the 10th


def test_today_is_taken_in_time_zone(api: APIClient, settings: Settings) -> None:
    # 20:00 UTC on the 10th is already the 11th (05:00) in Tokyo.
    TicketFactory.create_batch(2, created_at=at(2026, 3, 10, 10))  # the 10th in both zones
    with frozen(at(2026, 3, 10, 20)):
        settings.TIME_ZONE = "UTC"
        assert api.get(STATS).json()["avg_tickets_per_day"] == 2.0
        settings.TIME_ZONE = "Asia/Tokyo"
        assert api.get(STATS).json()["avg_tickets_per_day"] == 1.0


def test_open_tickets_counts_only_status_open(api: APIClient) -> None:
    for status in ["open", "open", "in_progress", "resolved", "closed"]:
        TicketFactory(status=status)
    body = api.get(STATS).json()
    assert body["open_tickets"] == 2
    assert body["total_tickets"] == 5


def test_stats_follow_updates(api: APIClient) -> None:
    ticket = TicketFactory(status="open", priority="low", category="billing")
    api.patch(
        f"/api/tickets/{ticket.pk}/",
        {"status": "closed", "priority": "high", "category": "account"},
        format="json",
    )
    body = api.get(STATS).json()
    assert body["open_tickets"] == 0
    assert body["priority_breakdown"] == {"low": 0, "medium": 0, "high": 1, "critical": 0}
    assert body["category_breakdown"] == {"billing": 0, "technical": 0, "account": 1, "general": 0}


def test_acceptance_counts_only_labels_a_person_reviewed(api: APIClient) -> None:
    def make(suggested: str | None, final: str, by_human: bool) -> None:
        TicketFactory(suggested_category=suggested, category=final, category_by_human=by_human)

    make("billing", "billing", True)  # kept
    make("billing", "billing", True)  # kept
    make("billing", "account", True)  # overridden
    make("technical", "technical", True)  # kept
    make("technical", "general", True)  # overridden
    make("account", "general", True)  # overridden
    make("general", "general", False)  # not reviewed: triage's own label
    make(None, "billing", True)  # never triaged

    acceptance = api.get(STATS).json()["acceptance"]
    assert acceptance == {
        "rate": 0.5,  # 3 kept of 6 reviewed
        "reviewed": 6,
        "by_category": {"billing": 0.667, "technical": 0.5, "account": 0.0, "general": None},
    }


def test_acceptance_from_tickets_created_through_the_api(
    api: APIClient, fixed_triage: type[FixedProvider]
) -> None:
    # The fixed provider suggests technical/critical.
    api.post("/api/tickets/", {"title": "a", "description": "b"}, format="json")
    api.post(
        "/api/tickets/", {"title": "a", "description": "b", "category": "technical"}, format="json"
    )
    api.post(
        "/api/tickets/", {"title": "a", "description": "b", "category": "billing"}, format="json"
    )
    acceptance = api.get(STATS).json()["acceptance"]
    assert acceptance["reviewed"] == 2
    assert acceptance["rate"] == 0.5
    assert acceptance["by_category"]["technical"] == 0.5


def test_selector_returns_the_same_figures_as_the_endpoint(api: APIClient) -> None:
    TicketFactory.create_batch(5)
    assert api.get(STATS).json() == ticket_stats()


def test_the_figures_are_already_in_the_declared_shape() -> None:
    """The view answers the selector's figures as they are: they must be exactly what the
    declared serializer would write (types included: ints stay ints, rates floats or null)."""
    TicketFactory.create_batch(6, category=Category.BILLING, suggested_category=Category.BILLING)
    TicketFactory(category=Category.TECHNICAL, suggested_category=Category.BILLING)
    figures = ticket_stats()
    declared = StatsSerializer(figures).data
    assert declared == figures
    assert json.dumps(declared) == json.dumps(figures)


def test_stats_is_one_query(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    TicketFactory.create_batch(10)
    # The counters with the live at-risk and breached counts (one query), the attainment (one).
    with django_assert_num_queries(1 + SLA_QUERIES):
        response = api.get(STATS)
    assert response.json()["total_tickets"] == 10


def test_stats_is_one_query_with_no_tickets(
    api: APIClient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1 + SLA_QUERIES):
        assert api.get(STATS).status_code == 200


def test_sla_attainment_is_reused_for_its_max_age_and_the_live_counts_are_not(
    api: APIClient, settings: Settings, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    settings.SLA_STATS_MAX_AGE = 60
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        TicketFactory(
            priority=Priority.HIGH,
            sla_first_response_due_at=start + dt.timedelta(hours=1),
            sla_due_at=start + dt.timedelta(hours=1),
            sla_at_risk_at=start + dt.timedelta(minutes=50),
            first_response_at=start,
        )
        first = api.get(STATS).json()["sla"]
        assert first["attainment"]["high"]["first_response"] == 1.0
        # A missed target now: the live count sees it at once, the reused attainment does not.
        TicketFactory(
            priority=Priority.HIGH,
            sla_first_response_due_at=start - dt.timedelta(minutes=1),
            sla_due_at=start - dt.timedelta(minutes=1),
            sla_at_risk_at=start - dt.timedelta(minutes=11),
        )
        # The counters and the two live counts; the attainment from this process's memory.
        with django_assert_num_queries(1):
            again = api.get(STATS).json()["sla"]
        assert again["breached"] == first["breached"] + 1
        assert again["attainment"] == first["attainment"]
        # Another process (nothing in its memory) reads the shared cache: one query more.
        selectors._attainment_memo = None
        with django_assert_num_queries(1 + SLA_QUERIES):
            assert api.get(STATS).json()["sla"]["attainment"] == first["attainment"]
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        later = api.get(STATS).json()["sla"]
    assert later["attainment"]["high"]["first_response"] == 0.5


def test_a_cache_entry_of_another_shape_is_computed_again(
    api: APIClient, settings: Settings
) -> None:
    """What an earlier version left in the shared cache (or anything else under the key) is
    not an answer: the figures are computed again, never a 500."""
    from django.core.cache import cache

    settings.SLA_STATS_MAX_AGE = 60
    selectors._attainment_memo = None
    cache.set(selectors.SLA_ATTAINMENT_CACHE_KEY, {"high": {"first_response": 1.0}}, 60)
    response = api.get(STATS)
    assert response.status_code == 200
    assert set(response.json()["sla"]["attainment"]) == {"low", "medium", "high", "critical"}
    selectors._attainment_memo = None
