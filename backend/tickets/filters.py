"""Query-string filters for the ticket list: each accepts one value or a comma-separated list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet

from tickets.models import Category, Priority, Status, Ticket
from tickets.search import SEARCH_MAX_LENGTH
from tickets.search import backend as search_backend


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

    class Meta:
        model = Ticket
        fields = ["category", "priority", "status", "search"]

    def filter_search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return search_backend().filter(queryset, value)
