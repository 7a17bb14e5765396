"""Query-string filters for the ticket list: each accepts one value or a comma-separated list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from tickets.models import Category, Priority, Status, Ticket

SEARCH_MAX_LENGTH = 200


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """`?status=open,in_progress`: every value must be one of the field's choices."""


class TicketFilter(django_filters.FilterSet):
    category = ChoiceInFilter(choices=Category.choices)
    priority = ChoiceInFilter(choices=Priority.choices)
    status = ChoiceInFilter(choices=Status.choices)
    search = django_filters.CharFilter(method="filter_search", max_length=SEARCH_MAX_LENGTH)

    class Meta:
        model = Ticket
        fields = ["category", "priority", "status", "search"]

    def filter_search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        term = value.strip()
        if not term:
            return queryset
        return queryset.filter(Q(title__icontains=term) | Q(description__icontains=term))
