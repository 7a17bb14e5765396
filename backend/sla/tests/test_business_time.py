"""Business-time arithmetic against a slow, obviously correct reference that looks at every
minute: converts it to local wall-clock time and asks whether a window of a non-holiday date
covers it (the definition in `sla.business_time`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla.business_time import (
    MINUTES_PER_DAY,
    Calendar,
    Window,
    add_business_minutes,
    around_the_clock,
    business_minutes_between,
)

ZONES = ["UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
# Around the DST changes of London and New York (spring and autumn), and an ordinary stretch.
ANCHORS = [
    dt.datetime(2026, 3, 6, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 27, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 23, tzinfo=dt.UTC),
    dt.datetime(2026, 10, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 4, 4, tzinfo=dt.UTC),  # Lord Howe's half-hour change
    dt.datetime(2026, 12, 22, tzinfo=dt.UTC),  # Christmas
]


def is_open(instant: dt.datetime, calendar: Calendar) -> bool:
    """The definition, minute by minute: the local wall time lies in a window of its date, or
    in an overnight window of the day before; neither date a holiday for its window."""
    local = instant.astimezone(ZoneInfo(calendar.time_zone))
    minute = local.hour * 60 + local.minute
    today = local.date()
    yesterday = today - dt.timedelta(days=1)
    for window in calendar.windows:
        if window.weekday == today.weekday() and not calendar.is_holiday(today):
            end = MINUTES_PER_DAY if window.crosses_midnight else window.end
            if window.start <= minute < end:
                return True
        if (
            window.crosses_midnight
            and window.weekday == yesterday.weekday()
            and not calendar.is_holiday(yesterday)
            and minute < window.end
        ):
            return True
    return False


def reference_between(a: dt.datetime, b: dt.datetime, calendar: Calendar) -> int:
    count, here = 0, a
    while here < b:
        count += is_open(here, calendar)
        here += dt.timedelta(minutes=1)
    return count


def reference_add(start: dt.datetime, minutes: int, calendar: Calendar) -> dt.datetime:
    here = start
    while minutes:
        if is_open(here, calendar):
            minutes -= 1
        here += dt.timedelta(minutes=1)
    return here


@st.composite
def windows(draw: st.DrawFn) -> Window:
    start = draw(st.integers(0, 47)) * 30
    end = draw(st.integers(1, 48).filter(lambda half_hours: half_hours * 30 != start)) * 30
    return Window(draw(st.integers(0, 6)), start, end)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    anchor = draw(st.sampled_from(ANCHORS))
    own = draw(st.sets(st.integers(0, 20), max_size=3))
    return Calendar(
        time_zone=draw(st.sampled_from(ZONES)),
        windows=tuple(draw(st.lists(windows(), min_size=1, max_size=6))),
        country=draw(st.sampled_from(["", "GB", "US"])),
        subdivision="",
        extra_holidays=frozenset(anchor.date() + dt.timedelta(days=d) for d in own),
    )


@st.composite
def starts(draw: st.DrawFn) -> dt.datetime:
    anchor = draw(st.sampled_from(ANCHORS))
    return anchor + dt.timedelta(minutes=draw(st.integers(0, 10 * MINUTES_PER_DAY)))


@settings(max_examples=60, deadline=None)
@given(calendar=calendars(), start=starts(), minutes=st.integers(0, 3000))
def test_add_matches_the_minute_by_minute_reference(
    calendar: Calendar, start: dt.datetime, minutes: int
) -> None:
    assert add_business_minutes(start, minutes, calendar) == reference_add(start, minutes, calendar)


@settings(max_examples=60, deadline=None)
@given(calendar=calendars(), start=starts(), length=st.integers(0, 4 * MINUTES_PER_DAY))
def test_between_matches_the_minute_by_minute_reference(
    calendar: Calendar, start: dt.datetime, length: int
) -> None:
    end = start + dt.timedelta(minutes=length)
    assert business_minutes_between(start, end, calendar) == reference_between(start, end, calendar)
    assert business_minutes_between(end, start, calendar) == -reference_between(
        start, end, calendar
    )


@settings(max_examples=15, deadline=None)
@given(calendar=calendars(), start=starts(), minutes=st.integers(0, 5 * 8 * 60 * 3))
def test_targets_spanning_weeks_round_trip(
    calendar: Calendar, start: dt.datetime, minutes: int
) -> None:
    due = add_business_minutes(start, minutes, calendar)
    assert business_minutes_between(start, due, calendar) == minutes
    assert due == reference_add(start, minutes, calendar)


def _office(zone: str) -> Calendar:
    return Calendar(zone, tuple(Window(day, 9 * 60, 17 * 60) for day in range(5)))


def test_spring_forward_skips_the_missing_hour() -> None:
    """New York, 8 March 2026: 02:00 becomes 03:00. A window 01:00-04:00 is open two hours."""
    night = Calendar("America/New_York", (Window(6, 60, 240),))
    start = dt.datetime(2026, 3, 8, 0, 0, tzinfo=ZoneInfo("America/New_York"))
    end = start + dt.timedelta(hours=6)
    assert business_minutes_between(start, end, night) == 120


def test_fall_back_counts_the_repeated_hour_twice() -> None:
    """New York, 1 November 2026: 02:00 goes back to 01:00. A window 01:00-02:00 is open
    during both passes: two real hours."""
    night = Calendar("America/New_York", (Window(6, 60, 120),))
    start = dt.datetime(2026, 11, 1, 0, 0, tzinfo=ZoneInfo("America/New_York"))
    assert business_minutes_between(start, start + dt.timedelta(hours=6), night) == 120
    utc_start = start.astimezone(dt.UTC)
    assert add_business_minutes(start, 90, night) == utc_start + dt.timedelta(minutes=150)


def test_a_week_of_office_hours_skips_weekend_and_holidays() -> None:
    office = Calendar(
        "Europe/London",
        tuple(Window(day, 9 * 60, 17 * 60) for day in range(5)),
        country="GB",
        subdivision="ENG",
        extra_holidays=frozenset({dt.date(2026, 12, 24)}),
    )
    start = dt.datetime(2026, 12, 23, 16, 0, tzinfo=dt.UTC)  # Wednesday 16:00 London
    # Left Wednesday: 1 h. Thursday 24th (own), Friday 25th and Monday 28th (bank holidays for
    # Christmas and Boxing Day) closed; Tuesday 29th 09:00 + 1 h.
    due = add_business_minutes(start, 120, office)
    assert due == dt.datetime(2026, 12, 29, 10, 0, tzinfo=dt.UTC)


def test_overnight_window_belongs_to_the_day_it_starts() -> None:
    night = Calendar("UTC", (Window(4, 22 * 60, 6 * 60),), extra_holidays=frozenset())
    friday = dt.datetime(2026, 5, 1, 21, 0, tzinfo=dt.UTC)  # 1 May 2026 is a Friday
    assert add_business_minutes(friday, 8 * 60, night) == dt.datetime(
        2026, 5, 2, 6, 0, tzinfo=dt.UTC
    )
    closed = Calendar("UTC", night.windows, extra_holidays=frozenset({dt.date(2026, 5, 1)}))
    assert business_minutes_between(friday, friday + dt.timedelta(days=1), closed) == 0


def test_around_the_clock_is_plain_time() -> None:
    start = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    assert add_business_minutes(
        start, 240, around_the_clock("Europe/London")
    ) == start + dt.timedelta(hours=4)


def test_a_calendar_without_hours_cannot_reach_a_target() -> None:
    with pytest.raises(ValueError):
        add_business_minutes(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), 1, Calendar("UTC", ()))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        business_minutes_between(dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 2), _office("UTC"))
