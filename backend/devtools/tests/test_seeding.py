"""seed_tickets: realistic, varied tickets over the past year, counted like any others."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.models import Role, User
from devtools.seeding.generator import TicketGenerator
from tickets.models import Category, Priority, Status, Ticket, TicketCounter

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_tickets", *args, stdout=out)
    return out.getvalue()


def test_seeds_every_label_over_the_past_year() -> None:
    output = seed("--count", "3000", "--seed", "5")
    assert "Added 3,000 tickets" in output
    assert Ticket.objects.count() == 3000
    for field, choices in (("category", Category), ("priority", Priority), ("status", Status)):
        assert set(Ticket.objects.values_list(field, flat=True).distinct()) == set(choices.values)
    now = timezone.now()
    oldest = Ticket.objects.order_by("created_at").first()
    newest = Ticket.objects.order_by("-created_at").first()
    assert oldest and newest
    assert now - dt.timedelta(days=366) < oldest.created_at
    assert newest.created_at < now and now - newest.created_at < dt.timedelta(days=3)
    assert not Ticket.objects.filter(
        updated_at__lt=Ticket.objects.values("created_at")[:0]
    ).exists()


def test_texts_are_varied_and_within_the_contract() -> None:
    seed("--count", "2000")
    assert Ticket.objects.values("title").distinct().count() > 200
    assert Ticket.objects.values("description").distinct().count() > 1900
    for ticket in Ticket.objects.all()[:500]:
        assert 0 < len(ticket.title.strip()) <= 200
        assert ticket.description.strip() and len(ticket.description) <= 10_000
        assert ticket.updated_at >= ticket.created_at


def test_recent_tickets_are_open_and_old_ones_closed() -> None:
    seed("--count", "4000")
    month_ago = timezone.now() - dt.timedelta(days=30)
    old = Ticket.objects.filter(created_at__lt=month_ago)
    assert old.filter(status__in=["resolved", "closed"]).count() > 0.9 * old.count()
    recent = Ticket.objects.filter(created_at__gte=timezone.now() - dt.timedelta(days=2))
    assert recent.filter(status="open").count() > 0.4 * recent.count()


def test_seeded_tickets_are_counted() -> None:
    seed("--count", "1500")
    seed("--count", "500")
    counted = TicketCounter.objects.aggregate(n=Sum("tickets"))["n"]
    assert counted == Ticket.objects.count() == 2000
    by_status = dict(Ticket.objects.values_list("status").annotate(n=Count("id")).order_by())
    from_counters = dict(
        TicketCounter.objects.values_list("status").annotate(n=Sum("tickets")).order_by()
    )
    assert by_status == from_counters


def test_truncate_replaces_everything() -> None:
    seed("--count", "300")
    seed("--count", "200", "--truncate")
    assert Ticket.objects.count() == 200
    assert TicketCounter.objects.aggregate(n=Sum("tickets"))["n"] == 200


def test_demo_loads_once() -> None:
    assert "Added" in seed("--demo")
    count = Ticket.objects.count()
    assert count > 100
    assert "already exist" in seed("--demo")
    assert Ticket.objects.count() == count
    assert Ticket.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=45)).count() == 0


@pytest.mark.parametrize("days", [45, 365])
def test_every_creation_time_is_inside_the_span_at_any_time_of_day(days: int) -> None:
    """Late in the day, on any weekday, no ticket is older than `days`: not even the oldest
    weekend tickets, which are moved to the Friday before (the demo promises its last 45 days)."""
    for weekday in range(7):
        now = dt.datetime(2026, 6, 1 + weekday, 23, 59, 59, tzinfo=dt.UTC)
        generator = TicketGenerator(seed=weekday, now=now, vectorize=None, days=days)
        created = generator.timestamps(20_000) / 1e6
        assert created.min() >= (now - dt.timedelta(days=days)).timestamp()
        assert created.max() < now.timestamp()


def test_count_is_required() -> None:
    with pytest.raises(CommandError):
        seed()
    with pytest.raises(CommandError):
        seed("--count", "0")


def test_requesters_own_the_tickets_and_cannot_sign_in() -> None:
    output = seed("--count", "3000", "--requesters", "40")
    assert "Added 3,000 tickets over 40 requesters" in output
    requesters = User.objects.filter(email__startswith="seed-requester-")
    assert requesters.count() == 40
    assert set(requesters.values_list("role", flat=True)) == {Role.REQUESTER}
    assert not any(user.has_usable_password() for user in requesters)
    assert not Ticket.objects.filter(requester__isnull=True).exists()
    per_requester = sorted(
        Ticket.objects.values("requester").annotate(n=Count("id")).values_list("n", flat=True)
    )
    # Every requester files some, and activity is uneven, as with real people.
    assert len(per_requester) == 40
    assert per_requester[-1] > 3 * per_requester[len(per_requester) // 2]


def test_requesters_are_reused_when_seeding_again() -> None:
    seed("--count", "200", "--requesters", "10")
    ids = set(User.objects.values_list("id", flat=True))
    seed("--count", "300", "--requesters", "15")
    assert User.objects.count() == 15
    assert ids < set(User.objects.values_list("id", flat=True))
    assert Ticket.objects.filter(requester__isnull=True).count() == 0


def test_requesters_change_nothing_else() -> None:
    """The same seed gives the same tickets with or without requesters: a requester is drawn
    from its own random stream."""
    fields = ("title", "description", "category", "priority", "status", "triage_confidence")
    seed("--count", "500", "--seed", "9", "--truncate")
    plain = list(Ticket.objects.order_by("id").values_list(*fields))
    assert not Ticket.objects.filter(requester__isnull=False).exists()
    seed("--count", "500", "--seed", "9", "--truncate", "--requesters", "20")
    spread = list(Ticket.objects.order_by("id").values_list(*fields))
    assert spread == plain


def test_requesters_must_not_be_negative() -> None:
    with pytest.raises(CommandError):
        seed("--count", "10", "--requesters", "-1")
