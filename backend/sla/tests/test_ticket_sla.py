"""A ticket's service levels through the API: computed on create, recomputed on a priority
change, met by the first response and by resolving, resumed by a reopen; the sweep records and
announces each breach once; the list filters and orders by them; stats report them."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.domain_events import dispatch, subscribe, unsubscribe
from sla.domain_events import SlaBreached
from sla.models import BusinessCalendar, SlaPolicy
from sla.services import sla_sweep, ticket_sla_backfill, ticket_sla_refresh
from tickets.domain_events import TicketUpdated
from tickets.models import Ticket

# Real commits: the subscribers run on commit, before the view answers, as in production.
seed = importlib.import_module("sla.migrations.0002_defaults").seed
pytestmark = pytest.mark.django_db(transaction=True)
UTC = dt.UTC
# Monday 2 March 2026, 10:00 UTC: inside the default calendar (Mon-Fri 09:00-17:00 UTC).
MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture(autouse=True)
def _rules(rules_triage: None) -> None:
    """Triage by the rules: instant (no model trained on first use)."""


@pytest.fixture(autouse=True)
def _defaults() -> None:
    """The seeded policies and calendar (a transactional test starts from empty tables)."""
    seed(apps, None)


def _file(api: APIClient, priority: str) -> dict[str, Any]:
    response = api.post(
        "/api/tickets/",
        {"title": "VPN down", "description": "Cannot connect.", "priority": priority},
        format="json",
    )
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def _patch(api: APIClient, ticket_id: int, **data: Any) -> dict[str, Any]:
    response = api.patch(f"/api/tickets/{ticket_id}/", data, format="json")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def _first_response(ticket_id: int, at: dt.datetime) -> None:
    """What conversations does on an agent's first public reply: set the column, announce it."""
    Ticket.objects.filter(pk=ticket_id).update(first_response_at=at)
    dispatch(TicketUpdated(ticket_id=ticket_id, fields=frozenset({"first_response_at"})))


def test_create_sets_both_targets_in_business_time(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        body = _file(api, "medium")  # 8 business hours / 3 business days
    assert body["sla"] == {
        "first_response": {
            "due_at": _iso(dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
            "met_at": None,
            "breached": False,
        },
        "resolution": {
            "due_at": _iso(dt.datetime(2026, 3, 5, 10, 0, tzinfo=UTC)),
            "met_at": None,
            "breached": False,
        },
    }
    # The original keys stay.
    assert {"id", "title", "priority", "status", "created_at"} <= set(body)


def test_a_new_ticket_is_written_once_with_its_targets(api: APIClient) -> None:
    """The targets go into the INSERT: no second version of the row after commit."""
    with CaptureQueriesContext(connection) as queries:
        body = _file(api, "high")
    table = Ticket._meta.db_table
    writes = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert [sql.split()[0] for sql in writes if sql.startswith(("INSERT", "UPDATE"))] == ["INSERT"]
    stored = Ticket.objects.get(pk=body["id"])
    assert stored.sla_first_response_due_at is not None
    assert stored.sla_due_at == stored.sla_first_response_due_at


def test_critical_counts_around_the_clock(api: APIClient) -> None:
    saturday = dt.datetime(2026, 3, 7, 23, 0, tzinfo=UTC)
    with time_machine.travel(saturday, tick=False):
        body = _file(api, "critical")
    assert body["sla"]["first_response"]["due_at"] == _iso(saturday + dt.timedelta(hours=1))
    assert body["sla"]["resolution"]["due_at"] == _iso(saturday + dt.timedelta(hours=4))


def test_priority_change_recomputes_from_creation(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = _file(api, "low")
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=2), tick=False):
        body = _patch(api, ticket["id"], priority="high")  # 4 business hours / 1 business day
    assert body["sla"]["first_response"]["due_at"] == _iso(MONDAY_10 + dt.timedelta(hours=4))
    assert body["sla"]["resolution"]["due_at"] == _iso(dt.datetime(2026, 3, 3, 10, tzinfo=UTC))


def test_first_response_and_resolution_are_met(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = _file(api, "high")
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=1), tick=False):
        _first_response(ticket["id"], MONDAY_10 + dt.timedelta(hours=1))
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=3), tick=False):
        body = _patch(api, ticket["id"], status="resolved")
    sla = body["sla"]
    assert sla["first_response"]["met_at"] == _iso(MONDAY_10 + dt.timedelta(hours=1))
    assert sla["resolution"]["met_at"] == _iso(MONDAY_10 + dt.timedelta(hours=3))
    assert not sla["first_response"]["breached"] and not sla["resolution"]["breached"]
    assert Ticket.objects.get(pk=ticket["id"]).sla_due_at is None


def test_reopen_resumes_the_resolution_clock_where_it_stopped(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = _file(api, "high")  # resolution due Tuesday 10:00 (8 business hours)
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=2), tick=False):
        _patch(api, ticket["id"], status="resolved")  # 6 business hours were left
    # Reopened Wednesday 09:00: 6 business hours later is Wednesday 15:00.
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        body = _patch(api, ticket["id"], status="open")
    assert body["sla"]["resolution"] == {
        "due_at": _iso(dt.datetime(2026, 3, 4, 15, 0, tzinfo=UTC)),
        "met_at": None,
        "breached": False,
    }


def test_refresh_is_idempotent(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = _file(api, "high")
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=2), tick=False):
        _patch(api, ticket["id"], status="resolved")
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        _patch(api, ticket["id"], status="open")
        before = Ticket.objects.get(pk=ticket["id"])
        ticket_sla_refresh(ticket_id=ticket["id"])
        ticket_sla_refresh(ticket_id=ticket["id"])
    after = Ticket.objects.get(pk=ticket["id"])
    assert after.sla_resolution_due_at == before.sla_resolution_due_at
    # Resolved Monday 12:00, reopened Wednesday 09:00: Monday 5 h + Tuesday 8 h of business time.
    assert after.sla_paused_minutes == before.sla_paused_minutes == 780


def test_sweep_records_and_announces_each_breach_once(api: APIClient) -> None:
    heard: list[SlaBreached] = []
    subscribe(SlaBreached, heard.append)
    try:
        with time_machine.travel(MONDAY_10, tick=False):
            late = _file(api, "critical")
            answered = _file(api, "critical")
            _first_response(answered["id"], MONDAY_10 + dt.timedelta(minutes=5))
        with time_machine.travel(MONDAY_10 + dt.timedelta(hours=2), tick=False):
            first = sla_sweep()
            again = sla_sweep()
            body = api.get(f"/api/tickets/{late['id']}/").json()
    finally:
        unsubscribe(SlaBreached, heard.append)
    assert {(b.ticket_id, b.target) for b in first} == {(late["id"], "first_response")}
    assert again == []
    assert heard == first
    assert body["sla"]["first_response"]["breached"] is True
    assert body["sla"]["resolution"]["breached"] is False


def test_a_running_target_past_due_reads_as_breached_before_the_sweep(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = _file(api, "critical")
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=5), tick=False):
        body = api.get(f"/api/tickets/{ticket['id']}/").json()
        listed = api.get("/api/tickets/?sla=breached").json()
    assert body["sla"]["resolution"]["breached"] is True
    assert [t["id"] for t in listed] == [ticket["id"]]


def test_filters_order_and_pages_by_due(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        low = _file(api, "low")  # first response due Tuesday 10:00
        critical = _file(api, "critical")  # first response due Monday 11:00
        high = _file(api, "high")  # first response due Monday 14:00
        done = _file(api, "high")
        _patch(api, done["id"], status="resolved")
    # Monday 10:50: the critical ticket has 10 of its 60 minutes left (< 20%): at risk.
    with time_machine.travel(MONDAY_10 + dt.timedelta(minutes=50), tick=False):
        at_risk = api.get("/api/tickets/?sla=at_risk")
        assert [t["id"] for t in at_risk.json()] == [critical["id"]]
        assert at_risk["X-Total-Count"] == "1"
        ids, url = [], "/api/tickets/?ordering=due&limit=1"
        while url:
            response = api.get(url)
            ids += [t["id"] for t in response.json()]
            link = response.get("Link", "")
            url = link[1 : link.index(">")] if link else ""
        assert ids == [critical["id"], high["id"], low["id"], done["id"]]
        running = api.get("/api/tickets/?ordering=due&status=open&priority=high,low").json()
        assert [t["id"] for t in running] == [high["id"], low["id"]]
        assert api.get("/api/tickets/?sla=soon").status_code == 400
        assert api.get("/api/tickets/?ordering=due&cursor=bm9wZQ").status_code == 400


def test_stats_report_service_levels(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        met = _file(api, "critical")
        _first_response(met["id"], MONDAY_10 + dt.timedelta(minutes=10))
        _file(api, "critical")
        _file(api, "low")
    with time_machine.travel(MONDAY_10 + dt.timedelta(minutes=55), tick=False):
        stats = api.get("/api/tickets/stats/").json()
    assert {"total_tickets", "open_tickets", "avg_tickets_per_day"} <= set(stats)
    assert stats["sla"]["at_risk"] == 1
    assert stats["sla"]["breached"] == 0
    assert stats["sla"]["attainment"]["critical"] == {"first_response": 1.0, "resolution": None}
    with time_machine.travel(MONDAY_10 + dt.timedelta(hours=2), tick=False):
        stats = api.get("/api/tickets/stats/").json()
    assert stats["sla"]["breached"] == 1
    assert stats["sla"]["attainment"]["critical"] == {"first_response": 0.5, "resolution": None}


def test_backfill_gives_older_tickets_targets(api: APIClient) -> None:
    with time_machine.travel(MONDAY_10, tick=False):
        ticket = _file(api, "medium")
    Ticket.objects.filter(pk=ticket["id"]).update(
        sla_first_response_due_at=None,
        sla_resolution_due_at=None,
        sla_due_at=None,
        sla_at_risk_at=None,
    )
    with time_machine.travel(MONDAY_10, tick=False):
        assert ticket_sla_backfill(batch_size=1) == 1
        assert ticket_sla_backfill(batch_size=1) == 0
    row = Ticket.objects.get(pk=ticket["id"])
    assert row.sla_first_response_due_at == dt.datetime(2026, 3, 3, 10, tzinfo=UTC)
    assert row.sla_due_at == row.sla_first_response_due_at


def test_defaults_are_seeded() -> None:
    policies = {
        p.priority: (p.first_response_minutes, p.resolution_minutes, p.business_hours)
        for p in SlaPolicy.objects.all()
    }
    assert policies == {
        "critical": (60, 240, False),
        "high": (240, 480, True),
        "medium": (480, 1440, True),
        "low": (480, 2400, True),
    }
    calendar = BusinessCalendar.objects.get()
    assert calendar.time_zone == "UTC" and len(calendar.windows) == 5
