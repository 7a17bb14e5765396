"""Reads: the policies and the calendar."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from sla.models import DEFAULT_WINDOWS, BusinessCalendar, SlaPolicy
from tickets.models import Priority

_ORDER = Case(
    *(When(priority=value, then=Value(i)) for i, value in enumerate(Priority.values)),
    output_field=IntegerField(),
)


def policy_list() -> QuerySet[SlaPolicy]:
    """One policy per priority, low to critical."""
    return SlaPolicy.objects.order_by(_ORDER)


def calendar_get() -> BusinessCalendar:
    row, _ = BusinessCalendar.objects.get_or_create(id=1, defaults={"windows": DEFAULT_WINDOWS})
    return row
