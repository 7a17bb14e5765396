"""A ticket's service-level columns from its state, its policy and the calendar: pure, no
database, so the subscriber, the backfill and the tests compute them the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from sla.business_time import (
    MINUTES_PER_DAY,
    Calendar,
    Window,
    add_business_minutes,
    around_the_clock,
    business_minutes_between,
)

RUNNING = ("open", "in_progress")


@dataclass(frozen=True)
class Targets:
    """A policy's targets in whole minutes, counted in business hours or around the clock."""

    first_response_minutes: int
    resolution_minutes: int
    business_hours: bool


@dataclass(frozen=True)
class TicketState:
    """What the targets depend on, as stored on the ticket."""

    created_at: dt.datetime
    status: str
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    paused_minutes: float
    first_response_breached: bool
    resolution_breached: bool


class SlaColumns(TypedDict):
    sla_first_response_due_at: dt.datetime | None
    sla_first_response_breached: bool
    sla_resolution_due_at: dt.datetime | None
    sla_resolved_at: dt.datetime | None
    sla_paused_minutes: float
    sla_resolution_breached: bool
    sla_due_at: dt.datetime | None
    sla_at_risk_at: dt.datetime | None


def parse_clock(value: str) -> int:
    """ "HH:MM" (00:00 to 24:00) as minutes after midnight; raises `ValueError`."""
    hours, sep, minutes = value.partition(":")
    if not sep or len(hours) != 2 or len(minutes) != 2 or not (hours + minutes).isdigit():
        raise ValueError(f'"{value}" is not a time of day (HH:MM).')
    total = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or total > MINUTES_PER_DAY:
        raise ValueError(f'"{value}" is not a time of day (HH:MM).')
    return total


def calendar_from(
    *,
    time_zone: str,
    windows: list[dict[str, object]],
    country: str,
    subdivision: str,
    holidays: list[str],
) -> Calendar:
    """The stored calendar as a `Calendar`; raises `ValueError` for anything malformed."""
    parsed = []
    for item in windows:
        day = item.get("day")
        start, end = item.get("start"), item.get("end")
        if not isinstance(day, int) or not isinstance(start, str) or not isinstance(end, str):
            raise ValueError('A window is {"day": 0-6, "start": "HH:MM", "end": "HH:MM"}.')
        end_minute = parse_clock(end)
        start_minute = parse_clock(start)
        if start_minute == MINUTES_PER_DAY:
            raise ValueError("A window cannot start at 24:00.")
        parsed.append(Window(day, start_minute, end_minute))
    return Calendar(
        time_zone=time_zone,
        windows=tuple(parsed),
        country=country,
        subdivision=subdivision,
        extra_holidays=frozenset(dt.date.fromisoformat(day) for day in holidays),
    )


def compute(
    state: TicketState,
    targets: Targets | None,
    calendar: Calendar,
    *,
    at_risk_fraction: float,
    now: dt.datetime,
) -> SlaColumns:
    """The columns after this state: dues counted from creation (plus the time spent resolved
    before a reopen), the resolution met on the move to resolved or closed (at `now`) and
    resumed by a reopen, breaches kept once recorded while the target still stands.

    Idempotent: computing again from the columns it returned changes nothing.
    """
    running = state.status in RUNNING
    resolved_at, paused = state.resolved_at, state.paused_minutes
    if targets is None:
        return SlaColumns(
            sla_first_response_due_at=None,
            sla_first_response_breached=False,
            sla_resolution_due_at=None,
            sla_resolved_at=None,
            sla_paused_minutes=paused,
            sla_resolution_breached=False,
            sla_due_at=None,
            sla_at_risk_at=None,
        )
    clock = calendar if targets.business_hours else around_the_clock(calendar.time_zone)
    if not running and resolved_at is None:
        resolved_at = now
    elif running and resolved_at is not None:
        paused += max(0.0, business_minutes_between(resolved_at, now, clock))
        resolved_at = None

    def due(minutes: float) -> dt.datetime:
        return add_business_minutes(state.created_at, minutes, clock)

    def risk(minutes: float, extra: float = 0.0) -> dt.datetime:
        return due(minutes * (1 - at_risk_fraction) + extra)

    first_due = due(targets.first_response_minutes)
    resolution_due = due(targets.resolution_minutes + paused)

    def breached(recorded: bool, due_at: dt.datetime, met_at: dt.datetime | None) -> bool:
        if met_at is not None:
            return met_at > due_at
        return recorded and due_at <= now

    first_breached = breached(state.first_response_breached, first_due, state.first_response_at)
    resolution_breached = breached(state.resolution_breached, resolution_due, resolved_at)
    pending: list[tuple[dt.datetime, dt.datetime]] = []
    if running and state.first_response_at is None:
        pending.append((first_due, risk(targets.first_response_minutes)))
    if running:
        pending.append((resolution_due, risk(targets.resolution_minutes, paused)))
    soonest = min(pending) if pending else None
    return SlaColumns(
        sla_first_response_due_at=first_due,
        sla_first_response_breached=first_breached,
        sla_resolution_due_at=resolution_due,
        sla_resolved_at=resolved_at,
        sla_paused_minutes=paused,
        sla_resolution_breached=resolution_breached,
        sla_due_at=soonest[0] if soonest else None,
        sla_at_risk_at=min(soonest[1], soonest[0]) if soonest else None,
    )
