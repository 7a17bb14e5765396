"""Each process reuses the policies and calendar it read (`SLA_RULES_MAX_AGE`); a change saved
in the process is seen by the next ticket at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import Settings

from sla import calendars
from sla.calendars import current_rules
from sla.models import BusinessCalendar, SlaPolicy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reuse(settings: Settings) -> Iterator[None]:
    settings.SLA_RULES_MAX_AGE = 10
    calendars.forget_rules()
    yield
    calendars.forget_rules()


def _queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        current_rules()
    return len(ctx.captured_queries)


def test_the_rules_are_read_once_then_reused_until_their_max_age() -> None:
    with time_machine.travel(0, tick=False) as clock:
        assert _queries() == 2
        assert _queries() == 0
        clock.shift(9)
        assert _queries() == 0
        clock.shift(2)
        assert _queries() == 2


def test_a_saved_policy_or_calendar_is_seen_at_once() -> None:
    targets, _ = current_rules()
    policy = SlaPolicy.objects.get(priority="high")
    policy.first_response_minutes = targets["high"].first_response_minutes + 7
    policy.save()
    assert current_rules()[0]["high"].first_response_minutes == policy.first_response_minutes

    row = BusinessCalendar.objects.get(pk=1)
    row.time_zone = "Europe/Paris"
    row.save()
    assert str(current_rules()[1].zone) == "Europe/Paris"

    SlaPolicy.objects.filter(priority="low").delete()  # a queryset delete sends post_delete too
    assert "low" not in current_rules()[0]


def test_zero_reads_them_every_time(settings: Settings) -> None:
    settings.SLA_RULES_MAX_AGE = 0
    assert _queries() == 2
    assert _queries() == 2
