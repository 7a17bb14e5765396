"""`ticket_json` builds the ticket's JSON directly; DRF's generic serializer is the reference."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from accounts.models import Role, User
from core.serializers import iso_datetime
from tickets.api.serializers import (
    OPEN_MODE_HIDDEN,
    SlaSerializer,
    TicketSerializer,
    ticket_json,
)
from tickets.models import Status, Ticket
from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


def generic(ticket: Ticket) -> dict[str, Any]:
    """DRF's own field-by-field output for the declared fields."""
    return dict(serializers.ModelSerializer.to_representation(TicketSerializer(), ticket))


def varied_tickets() -> list[Ticket]:
    requester = User.objects.create(email="asker@example.com", name="Ann Asker")
    agent = User.objects.create(email="agent@example.com", name="Bo Agent", role=Role.AGENT)
    # Tickets do not import routing (the import contracts): its team model through the key.
    team = Ticket._meta.get_field("team").related_model._default_manager.create(name="Billing")
    past = timezone.now() - dt.timedelta(hours=3)
    future = timezone.now() + dt.timedelta(days=2)
    plain = TicketFactory()
    full = TicketFactory(
        requester=requester,
        team=team,
        assignee=agent,
        triage_confidence=0.8125,
        triage_provider="local",
        suggested_category="billing",
        suggested_priority="high",
        category_by_human=True,
        sla_first_response_due_at=past,
        sla_resolution_due_at=future,
        first_response_at=past - dt.timedelta(minutes=5),
    )
    # Left for a person to route (no team, by the database's rule).
    unrouted = TicketFactory(requester=requester, needs_triage=True, triage_confidence=0.2)
    # Running and past due with no breach recorded yet: breached all the same.
    overdue = TicketFactory(status=Status.IN_PROGRESS, sla_resolution_due_at=past)
    # Resolved late: the recorded breach stands; a stopped clock is not overdue.
    resolved = TicketFactory(
        status=Status.RESOLVED,
        sla_resolution_due_at=past,
        sla_resolved_at=timezone.now(),
        sla_resolution_breached=True,
        created_at=dt.datetime(2024, 2, 29, 23, 59, 59, 123456, tzinfo=dt.UTC),
    )
    return [
        Ticket.objects.select_related("requester", "team", "assignee").get(pk=t.pk)
        for t in (plain, full, unrouted, overdue, resolved)
    ]


def test_matches_the_generic_serializer_in_accounts_mode(settings: Any) -> None:
    settings.ACCESS_MODE = "accounts"
    for ticket in varied_tickets():
        assert ticket_json(ticket, accounts=True) == generic(ticket)
        assert list(ticket_json(ticket, accounts=True)) == list(TicketSerializer().fields)
        assert TicketSerializer(ticket).data == generic(ticket)


def test_open_mode_keeps_the_seed_shape(settings: Any) -> None:
    settings.ACCESS_MODE = "open"
    for ticket in varied_tickets():
        data = TicketSerializer(ticket).data
        expected = {k: v for k, v in generic(ticket).items() if k not in OPEN_MODE_HIDDEN}
        assert data == expected
        assert not set(OPEN_MODE_HIDDEN) & set(data)


def test_sla_block_matches_drf_dates() -> None:
    due = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    met = dt.datetime(2026, 3, 1, 8, 0, 0, 500, tzinfo=dt.UTC)
    ticket = TicketFactory(
        status=Status.RESOLVED,
        sla_first_response_due_at=due,
        first_response_at=met,
        sla_resolution_due_at=due,
        sla_resolved_at=met,
    )
    raw = {
        "first_response": {"due_at": due, "met_at": met, "breached": False},
        "resolution": {"due_at": due, "met_at": met, "breached": False},
    }
    assert ticket_json(ticket, accounts=False)["sla"] == SlaSerializer(raw).data


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kolkata"])
def test_dates_are_written_as_drf_writes_them(zone: str) -> None:
    field = serializers.DateTimeField()
    values = [
        dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 25, 1, 30, tzinfo=ZoneInfo("Europe/London")),
    ]
    with timezone.override(zone):
        for value in values:
            assert iso_datetime(value) == field.to_representation(value)
    assert iso_datetime(None) is None
