"""Business-time arithmetic: pure functions over a calendar, no database.

A calendar is a time zone, weekly opening windows in local wall-clock time and holidays. The
definition every function follows (and the minute-by-minute reference in the tests spells out):

    an instant is open when its local wall-clock time falls inside a window of a local date
    that is not a holiday.

A window belongs to the date it starts on: `Window(FRIDAY, 22:00, 06:00)` runs from Friday
22:00 into Saturday 06:00, and a holiday on Friday closes all of it (a holiday on Saturday none
of it). Around DST changes this is wall-clock time: on the night the clocks go back, a window
covering 01:00-02:00 is open for both passes of that hour; on the night they go forward, the
skipped hour does not exist and so is never open. Durations are real elapsed time.

The fast path walks the timeline in spans of constant UTC offset (found by sampling the zone
twice a day and bisecting to the minute), so its cost grows with the number of days crossed,
not minutes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays as holiday_library

MINUTES_PER_DAY = 24 * 60
ONE_MINUTE = dt.timedelta(minutes=1)
# A target that cannot be reached within this span means the calendar is (nearly) never open.
SEARCH_HORIZON = dt.timedelta(days=3 * 366)
_SAMPLE = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Window:
    """Open on `weekday` (0 = Monday) from `start` to `end`, minutes after local midnight.
    `end` may be 1440 (midnight at the end of the day); `end < start` crosses midnight into the
    next day."""

    weekday: int
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
        if not 0 <= self.start < MINUTES_PER_DAY or not 0 <= self.end <= MINUTES_PER_DAY:
            raise ValueError("start must be in [0, 1440), end in [0, 1440]")
        if self.start == self.end:
            raise ValueError("a window must not be empty")

    @property
    def crosses_midnight(self) -> bool:
        return self.end < self.start

    @property
    def minutes(self) -> int:
        return self.end - self.start + (MINUTES_PER_DAY if self.crosses_midnight else 0)

    def wall_span(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The naive local wall-clock span this window covers when it starts on `day`."""
        midnight = dt.datetime.combine(day, dt.time())
        start = midnight + dt.timedelta(minutes=self.start)
        return start, start + dt.timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Calendar:
    """When the organisation is open. `country`/`subdivision` name a calendar of the `holidays`
    library (e.g. "GB", "ENG"); `extra_holidays` are the organisation's own closed dates."""

    time_zone: str
    windows: tuple[Window, ...]
    country: str = ""
    subdivision: str = ""
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def _country_holidays(self) -> holiday_library.HolidayBase | None:
        if not self.country:
            return None
        return holiday_library.country_holidays(self.country, subdiv=self.subdivision or None)

    @cached_property
    def _by_weekday(self) -> dict[int, tuple[Window, ...]]:
        return {day: tuple(w for w in self.windows if w.weekday == day) for day in range(7)}

    def is_holiday(self, day: dt.date) -> bool:
        if day in self.extra_holidays:
            return True
        return self._country_holidays is not None and day in self._country_holidays

    def windows_on(self, day: dt.date) -> tuple[Window, ...]:
        """The windows starting on local date `day` (none on a holiday)."""
        if self.is_holiday(day):
            return ()
        return self._by_weekday[day.weekday()]

    @property
    def minutes_per_week(self) -> int:
        return sum(window.minutes for window in self.windows)


def around_the_clock(time_zone: str = "UTC") -> Calendar:
    """Always open: every day 00:00-24:00, no holidays."""
    return Calendar(time_zone, tuple(Window(day, 0, MINUTES_PER_DAY) for day in range(7)))


def _offset(zone: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _offset_spans(
    zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime, dt.timedelta]]:
    """[start, end) split where the zone's UTC offset changes: (from, to, offset) in order."""
    here, offset = start, _offset(zone, start)
    while here < end:
        probe = min(here + _SAMPLE, end)
        if _offset(zone, probe) == offset and probe < end:
            here = probe
            continue
        if _offset(zone, probe) == offset:  # reached the end without a change
            yield start, end, offset
            return
        # offset(here) == offset != offset(probe). Zones change offset on whole minutes:
        # bisect over whole minutes for the first one with the new offset.
        low = here.replace(second=0, microsecond=0)
        high = probe.replace(second=0, microsecond=0)
        if high < probe:
            high += ONE_MINUTE
        while high - low > ONE_MINUTE:
            middle = low + ((high - low) // ONE_MINUTE // 2) * ONE_MINUTE
            if _offset(zone, middle) == offset:
                low = middle
            else:
                high = middle
        high = min(high, end)
        yield start, high, offset
        start, here, offset = high, high, _offset(zone, high)
    if start < end:
        yield start, end, offset


def _raw_intervals(
    calendar: Calendar, start: dt.datetime, end: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Open UTC intervals within [start, end), in order of start, possibly overlapping."""
    for span_start, span_end, offset in _offset_spans(calendar.zone, start, end):
        wall_low = (span_start + offset).replace(tzinfo=None)
        wall_high = (span_end + offset).replace(tzinfo=None)
        pieces: list[tuple[dt.datetime, dt.datetime]] = []
        day = wall_low.date() - dt.timedelta(days=1)  # yesterday's overnight windows reach today
        while day <= wall_high.date():
            for window in calendar.windows_on(day):
                low, high = window.wall_span(day)
                low, high = max(low, wall_low), min(high, wall_high)
                if low < high:
                    pieces.append(
                        (
                            (low - offset).replace(tzinfo=dt.UTC),
                            (high - offset).replace(tzinfo=dt.UTC),
                        )
                    )
            day += dt.timedelta(days=1)
        yield from sorted(pieces)


def open_intervals(
    calendar: Calendar, start: dt.datetime, end: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The disjoint open UTC intervals within [start, end), in order. Walks a day at a time, so a
    caller that stops early pays only for what it read."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("business time needs aware datetimes")
    start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
    current: tuple[dt.datetime, dt.datetime] | None = None
    chunk = start
    while chunk < end:
        chunk_end = min(chunk + dt.timedelta(days=1), end)
        for low, high in _raw_intervals(calendar, chunk, chunk_end):
            if current is not None and low <= current[1]:
                current = (current[0], max(current[1], high))
                continue
            if current is not None:
                yield current
            current = (low, high)
        chunk = chunk_end
    if current is not None:
        yield current


def add_business_minutes(start: dt.datetime, minutes: float, calendar: Calendar) -> dt.datetime:
    """The instant (in UTC) at which `minutes` of open time have passed since `start` (`start`
    itself for 0). Raises `ValueError` for a negative amount or a calendar never open within
    three years."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    left = dt.timedelta(minutes=minutes)
    if not left:
        return start
    if not calendar.windows:
        raise ValueError("the calendar has no opening hours")
    for low, high in open_intervals(calendar, start, start + SEARCH_HORIZON):
        if high - low >= left:
            return low + left
        left -= high - low
    raise ValueError("the calendar is not open long enough within three years")


def business_minutes_between(a: dt.datetime, b: dt.datetime, calendar: Calendar) -> float:
    """Minutes of open time from `a` to `b` (negative when `b` is before `a`)."""
    if b < a:
        return -business_minutes_between(b, a, calendar)
    total = sum((high - low for low, high in open_intervals(calendar, a, b)), dt.timedelta())
    return total / ONE_MINUTE
