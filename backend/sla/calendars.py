"""The stored policies and calendar as the pure types of `sla.targets` and
`sla.business_time`."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings

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


def targets_of(policy: SlaPolicy) -> Targets:
    return Targets(policy.first_response_minutes, policy.resolution_minutes, policy.business_hours)


# (when read, in seconds since the epoch; the targets; the calendar), or None.
_rules: tuple[float, dict[str, Targets], Calendar] | None = None


def current_rules() -> tuple[dict[str, Targets], Calendar]:
    """Each priority's targets (a priority without a policy has none) and the business
    calendar (the default one if its row was deleted), as stored.

    Every new ticket needs them (its targets go into its INSERT), so each process keeps what it
    read for `SLA_RULES_MAX_AGE` seconds: two queries and building the holiday calendar cost
    about 0.9 ms of CPU per ticket filed (bench/RESULTS.md, *Throughput*). A change saved in
    this process is seen at once (`forget_rules`, on every save or delete of a policy or the
    calendar); another process sees it within that many seconds.
    """
    global _rules
    max_age = settings.SLA_RULES_MAX_AGE
    now = time.time()
    held = _rules
    if max_age and held is not None and 0 <= now - held[0] < max_age:
        return held[1], held[2]
    targets = {policy.priority: targets_of(policy) for policy in SlaPolicy.objects.all()}
    row, _ = BusinessCalendar.objects.get_or_create(id=1, defaults={"windows": DEFAULT_WINDOWS})
    calendar = calendar_of(row)
    _rules = (now, targets, calendar) if max_age else None
    return targets, calendar


def forget_rules(**kwargs: Any) -> None:
    """Drop this process's copy of the targets and calendar (a `post_save`/`post_delete`
    receiver: the next ticket reads them again)."""
    global _rules
    _rules = None
