"""The stored policies and calendar as the pure types of `sla.targets` and
`sla.business_time`."""

from __future__ import annotations

from sla.business_time import Calendar
from sla.models import DEFAULT_WINDOWS, BusinessCalendar, SlaPolicy
from sla.targets import Targets, calendar_from


def calendar_of(row: BusinessCalendar) -> Calendar:
    return calendar_from(
        time_zone=row.time_zone,
        windows=list(row.windows),
        country=row.country,
        subdivision=row.subdivision,
        holidays=list(row.holidays),
    )


def current_calendar() -> Calendar:
    """The business calendar (the default one if its row was deleted)."""
    row, _ = BusinessCalendar.objects.get_or_create(id=1, defaults={"windows": DEFAULT_WINDOWS})
    return calendar_of(row)


def targets_of(policy: SlaPolicy) -> Targets:
    return Targets(policy.first_response_minutes, policy.resolution_minutes, policy.business_hours)


def current_targets() -> dict[str, Targets]:
    """Each priority's targets (a priority without a policy has none)."""
    return {policy.priority: targets_of(policy) for policy in SlaPolicy.objects.all()}
