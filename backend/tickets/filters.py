"""Query-string filters for the ticket list: each accepts one value or a comma-separated list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from tickets.models import Category, Priority, Status, Ticket
from tickets.search import SEARCH_MAX_LENGTH
from tickets.search import backend as search_backend

SLA_FILTERS = [
    ("breached", "A target missed: still running past due, or met late"),
    ("at_risk", "A running target with less than SLA_AT_RISK_FRACTION of it left, not yet due"),
]


def sla_condition(value: str, now: dt.datetime) -> Q:
    """`?sla=breached|at_risk` as a condition on the stored SLA columns (both indexed)."""
    if value == "at_risk":
        return Q(sla_due_at__gt=now, sla_at_risk_at__lte=now)
    return (
        Q(sla_due_at__lte=now)
        | Q(sla_first_response_breached=True)
        | Q(sla_resolution_breached=True)
    )


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`?status=open,in_progress`: every value must be one of the field's choices.

    Empty items (`?status=open,` or `?status=,`) are ignored, as an empty parameter is, rather
    than matching nothing.
    """

    def filter(self, qs: QuerySet[Ticket], value: Any) -> QuerySet[Ticket]:
        values = [item for item in value or () if item]
        return super().filter(qs, values) if values else qs


class TicketFilter(django_filters.FilterSet):
    category = ChoiceInFilter(choices=Category.choices)
    priority = ChoiceInFilter(choices=Priority.choices)
    status = ChoiceInFilter(choices=Status.choices)
    search = django_filters.CharFilter(method="filter_search", max_length=SEARCH_MAX_LENGTH)
    sla = django_filters.ChoiceFilter(choices=SLA_FILTERS, method="filter_sla")

    class Meta:
        model = Ticket
        fields = ["category", "priority", "status", "search", "sla"]

    def filter_sla(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        if not value:
            return queryset
        return queryset.filter(sla_condition(value, timezone.now()))

    def filter_search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return search_backend().filter(queryset, value)
