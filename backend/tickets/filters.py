"""Query-string filters for the ticket list: each accepts one value or a comma-separated list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.validators import RegexValidator
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


ASSIGNEE_VALUES = RegexValidator(r"^(me|none|[0-9]{1,18})$", '"me", "none" or a user id.')
TEAM_VALUES = RegexValidator(r"^(none|[0-9]{1,18})$", '"none" or a team id.')
FLAG_VALUES = RegexValidator(r"^(true|false)$", '"true" or "false".')


class TicketFilter(django_filters.FilterSet):
    """The list's filters. `user_id` is the caller's, for `?assignee=me`."""

    _form_class: type[forms.Form]

    category = ChoiceInFilter(choices=Category.choices)
    priority = ChoiceInFilter(choices=Priority.choices)
    status = ChoiceInFilter(choices=Status.choices)
    search = django_filters.CharFilter(method="filter_search", max_length=SEARCH_MAX_LENGTH)
    assignee = django_filters.CharFilter(method="filter_assignee", validators=[ASSIGNEE_VALUES])
    team = django_filters.CharFilter(method="filter_team", validators=[TEAM_VALUES])
    needs_triage = django_filters.CharFilter(method="filter_needs_triage", validators=[FLAG_VALUES])
    sla = django_filters.ChoiceFilter(choices=SLA_FILTERS, method="filter_sla")

    class Meta:
        model = Ticket
        fields = [
            "category",
            "priority",
            "status",
            "search",
            "assignee",
            "team",
            "needs_triage",
            "sla",
        ]

    def __init__(self, *args: Any, user_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user_id = user_id

    def get_form_class(self) -> type[forms.Form]:
        """The form class, built once: django-filter builds a new one (and a form field per
        filter) on every request, which was most of the filters' cost in the list's profile.
        The fields depend on the filters' declarations only, never on the request."""
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_assignee(
        self, queryset: QuerySet[Ticket], name: str, value: str
    ) -> QuerySet[Ticket]:
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value == "me":
            # Nobody signed in (open mode): nothing is assigned to nobody.
            if self.user_id is None:
                return queryset.none()
            return queryset.filter(assignee_id=self.user_id)
        return queryset.filter(assignee_id=int(value))

    def filter_needs_triage(
        self, queryset: QuerySet[Ticket], name: str, value: str
    ) -> QuerySet[Ticket]:
        return queryset.filter(needs_triage=value == "true")

    def filter_team(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        if value == "none":
            return queryset.filter(team__isnull=True)
        return queryset.filter(team_id=int(value))

    def filter_sla(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        if not value:
            return queryset
        return queryset.filter(sla_condition(value, timezone.now()))

    def filter_search(self, queryset: QuerySet[Ticket], name: str, value: str) -> QuerySet[Ticket]:
        return search_backend().filter(queryset, value)
