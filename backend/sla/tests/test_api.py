"""The policies and the calendar over HTTP (who may: the permission matrix)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.models import Role
from accounts.tests.conftest import client_for, make_user
from sla.models import BusinessCalendar, SlaPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> APIClient:
    return client_for(make_user("boss@example.com", Role.ADMIN))


def test_policies_list_one_per_priority_low_to_critical(api: APIClient) -> None:
    body = api.get("/api/sla/policies/").json()
    assert [p["priority"] for p in body] == ["low", "medium", "high", "critical"]
    assert body[3] == {
        "priority": "critical",
        "first_response_minutes": 60,
        "resolution_minutes": 240,
        "business_hours": False,
    }


def test_admin_changes_a_policy(admin: APIClient) -> None:
    response = admin.patch(
        "/api/sla/policies/high/",
        {"first_response_minutes": 30, "business_hours": False},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["first_response_minutes"] == 30
    policy = SlaPolicy.objects.get(priority="high")
    assert (policy.first_response_minutes, policy.business_hours) == (30, False)


@pytest.mark.parametrize(
    "body",
    [
        {"first_response_minutes": 0},
        {"resolution_minutes": -5},
        {"resolution_minutes": "soon"},
        {"business_hours": "maybe"},
        {},
    ],
)
def test_bad_policy_changes_are_400(admin: APIClient, body: dict[str, object]) -> None:
    response = admin.patch("/api/sla/policies/high/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"error"}


def test_unknown_priority_is_404(admin: APIClient) -> None:
    assert (
        admin.patch(
            "/api/sla/policies/urgent/", {"resolution_minutes": 5}, format="json"
        ).status_code
        == 404
    )


def test_admin_changes_the_calendar(admin: APIClient) -> None:
    body = {
        "time_zone": "Europe/London",
        "windows": [
            {"day": 0, "start": "08:00", "end": "12:00"},
            {"day": 0, "start": "13:00", "end": "17:30"},
            {"day": 4, "start": "22:00", "end": "06:00"},
        ],
        "country": "GB",
        "subdivision": "ENG",
        "holidays": ["2026-12-24", "2026-12-24"],
    }
    response = admin.patch("/api/sla/calendar/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {**body, "holidays": ["2026-12-24"]}
    assert BusinessCalendar.objects.get().country == "GB"


@pytest.mark.parametrize(
    "body",
    [
        {"time_zone": "Mars/Olympus"},
        {"country": "XX"},
        {"subdivision": "ENG"},
        {"windows": []},
        {"windows": [{"day": 7, "start": "09:00", "end": "17:00"}]},
        {"windows": [{"day": 1, "start": "09:00", "end": "09:00"}]},
        {"windows": [{"day": 1, "start": "9am", "end": "17:00"}]},
        {"holidays": ["2026-02-30"]},
    ],
)
def test_bad_calendars_are_400(admin: APIClient, body: dict[str, object]) -> None:
    response = admin.patch("/api/sla/calendar/", body, format="json")
    assert response.status_code == 400, response.content
    assert set(response.json()) == {"error"}


@override_settings(ACCESS_MODE="accounts")
def test_agents_read_but_do_not_change() -> None:
    agent = client_for(make_user("agent@example.com", Role.AGENT))
    assert agent.get("/api/sla/calendar/").status_code == 200
    assert agent.patch("/api/sla/calendar/", {"time_zone": "UTC"}, format="json").status_code == 403
