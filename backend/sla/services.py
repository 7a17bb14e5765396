"""Writes: policies, the calendar, a ticket's service-level columns, the breach sweep and the
backfill. A ticket's columns are only ever computed by `sla.targets.compute`."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holiday_library
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.access import Caller
from accounts.permissions import Action, require
from core.domain_events import publish_on_commit
from sla.calendars import calendar_of, current_rules
from sla.domain_events import FIRST_RESPONSE, RESOLUTION, SlaBreached
from sla.models import DEFAULT_WINDOWS, BusinessCalendar, SlaPolicy
from sla.targets import RUNNING, SlaColumns, TicketState, compute
from tickets.models import Priority, Ticket

SLA_FIELDS = tuple(SlaColumns.__annotations__)


class PolicyChanges(TypedDict, total=False):
    first_response_minutes: int
    resolution_minutes: int
    business_hours: bool


class CalendarChanges(TypedDict, total=False):
    time_zone: str
    windows: list[dict[str, Any]]
    country: str
    subdivision: str
    holidays: list[str]


def policy_update(*, caller: Caller, priority: str, data: PolicyChanges) -> SlaPolicy:
    """Change one priority's targets (admins). Applies to tickets filed or re-prioritised from
    now on; `manage.py sla_backfill --all` recomputes the others. Raises `SlaPolicy.DoesNotExist`
    for an unknown priority."""
    require(caller, Action.SLA_MANAGE)
    if priority not in Priority.values:
        raise SlaPolicy.DoesNotExist
    with transaction.atomic():
        policy = SlaPolicy.objects.select_for_update().get(priority=priority)
        for field, value in data.items():
            setattr(policy, field, value)
        policy.save()
        return policy


def calendar_update(*, caller: Caller, data: CalendarChanges) -> BusinessCalendar:
    """Change the business calendar (admins). Raises `ValidationError` for an unknown time zone
    or country, a malformed window or date, or a calendar with no opening hours."""
    require(caller, Action.SLA_MANAGE)
    with transaction.atomic():
        row, _ = BusinessCalendar.objects.select_for_update().get_or_create(
            id=1, defaults={"windows": DEFAULT_WINDOWS}
        )
        for field, value in data.items():
            setattr(row, field, value)
        _validate(row)
        row.save()
        return row


def _validate(row: BusinessCalendar) -> None:
    try:
        ZoneInfo(row.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError({"time_zone": ["Unknown IANA time zone."]}) from exc
    if row.country:
        try:
            holiday_library.country_holidays(row.country, subdiv=row.subdivision or None)
        except NotImplementedError as exc:
            raise ValidationError(
                {"country": ["Unknown country or subdivision for the holidays calendar."]}
            ) from exc
    elif row.subdivision:
        raise ValidationError({"subdivision": ["A subdivision needs a country."]})
    try:
        calendar = calendar_of(row)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValidationError({"windows": [str(exc)]}) from exc
    if not calendar.windows:
        raise ValidationError({"windows": ["The calendar needs at least one opening window."]})


def _state(ticket: Ticket) -> TicketState:
    return TicketState(
        created_at=ticket.created_at,
        status=ticket.status,
        first_response_at=ticket.first_response_at,
        resolved_at=ticket.sla_resolved_at,
        paused_minutes=ticket.sla_paused_minutes,
        first_response_breached=ticket.sla_first_response_breached,
        resolution_breached=ticket.sla_resolution_breached,
    )


def _columns(ticket: Ticket, *, now: dt.datetime) -> SlaColumns:
    """The ticket's SLA columns from its state, under the current policies and calendar."""
    targets, calendar = current_rules()
    return compute(
        _state(ticket),
        targets.get(ticket.priority),
        calendar,
        at_risk_fraction=settings.SLA_AT_RISK_FRACTION,
        now=now,
    )


def ticket_sla_start(ticket: Ticket) -> None:
    """Set a new ticket's service-level columns before it is inserted (`sla.subscribers`, on
    `pre_save`): the row is written once, with its targets, in the filer's transaction. Computing
    them after commit cost a second transaction and a second version of the row, with an entry
    in every index, which was the largest part of filing a ticket in the profile."""
    for field, value in _columns(ticket, now=ticket.created_at).items():
        setattr(ticket, field, value)


def ticket_sla_refresh(*, ticket_id: int, now: dt.datetime | None = None) -> Ticket | None:
    """Recompute one ticket's service-level columns from its state (idempotent: safe to run
    again for the same change). `now` is when a status change is taken to have happened: the
    ticket's own `updated_at` by default. Returns the ticket, or None if it is gone."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return None
        columns = _columns(ticket, now=now or ticket.updated_at)
        changed = {k: v for k, v in columns.items() if getattr(ticket, k) != v}
        if changed:
            # A plain UPDATE: `updated_at` and the history stay the person's change.
            Ticket.objects.filter(pk=ticket_id).update(**changed)
            for field, value in changed.items():
                setattr(ticket, field, value)
        return ticket


def ticket_sla_backfill(*, batch_size: int = 1000, everything: bool = False) -> int:
    """Compute the columns of tickets that have none (or, `everything`, of every ticket) in
    batches of `batch_size`, one transaction each. Returns how many tickets it wrote."""
    targets, calendar = current_rules()
    fraction, now = settings.SLA_AT_RISK_FRACTION, timezone.now()
    scope = Q() if everything else Q(sla_first_response_due_at__isnull=True)
    last_id, written = 0, 0
    while True:
        with transaction.atomic():
            batch = list(Ticket.objects.filter(scope, pk__gt=last_id).order_by("pk")[:batch_size])
            if not batch:
                return written
            for ticket in batch:
                # A ticket already resolved when targets arrived: met when it last changed.
                columns = compute(
                    _state(ticket),
                    targets.get(ticket.priority),
                    calendar,
                    at_risk_fraction=fraction,
                    now=ticket.updated_at if ticket.status not in RUNNING else now,
                )
                for field, value in columns.items():
                    setattr(ticket, field, value)
            Ticket.objects.bulk_update(batch, SLA_FIELDS)
            written += len(batch)
            last_id = batch[-1].pk


_SWEEPS = {
    FIRST_RESPONSE: (
        "sla_first_response_breached",
        "sla_first_response_due_at",
        "AND first_response_at IS NULL",
    ),
    RESOLUTION: ("sla_resolution_breached", "sla_resolution_due_at", ""),
}


def sla_sweep(*, now: dt.datetime | None = None) -> list[SlaBreached]:
    """Record every running target now past due and not yet recorded: one UPDATE per kind of
    target, touching only the tickets whose state changes (served by the partial sweep
    indexes). Each newly breached target is announced once (`SlaBreached`, on commit)."""
    now = now or timezone.now()
    table = Ticket._meta.db_table
    breaches: list[SlaBreached] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for target, (flag, due, extra) in _SWEEPS.items():
            # Written as SQL for RETURNING (PostgreSQL, SQLite >= 3.35): the ids flagged.
            cursor.execute(
                f"UPDATE {table} SET {flag} = %s WHERE {flag} = %s AND {due} <= %s "
                f"AND status IN (%s, %s) {extra} RETURNING id",
                [True, False, now, *RUNNING],
            )
            breaches += [SlaBreached(ticket_id=row[0], target=target) for row in cursor.fetchall()]
        for breach in breaches:
            publish_on_commit(breach)
    return breaches
