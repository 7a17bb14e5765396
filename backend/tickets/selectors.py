"""Reads. Each returns a queryset or plain data computed by the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from tickets.filters import TicketFilter
from tickets.models import Category, Priority, Status, Ticket


def ticket_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Ticket]:
    """Tickets newest first (ties broken by id), narrowed by the list's query-string filters.

    Raises `ValidationError` for an unknown choice or an over-long search term.
    """
    queryset = Ticket.objects.order_by("-created_at", "-id")
    filterset = TicketFilter(filters or {}, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def ticket_get(*, ticket_id: int) -> Ticket:
    """One ticket; raises `Ticket.DoesNotExist`."""
    return Ticket.objects.get(pk=ticket_id)


def _days_inclusive(first: dt.datetime | None, today: dt.date) -> int:
    if first is None:
        return 0
    return (today - timezone.localtime(first).date()).days + 1


def ticket_stats() -> dict[str, Any]:
    """The dashboard's figures in one aggregate query (filtered counts, no row loops)."""
    by_human = Q(category_by_human=True, suggested_category__isnull=False)
    aggregates: dict[str, Any] = {
        "total": Count("id"),
        "first_created": Min("created_at"),
        "reviewed": Count("id", filter=by_human),
        "accepted": Count("id", filter=by_human & Q(category=F("suggested_category"))),
    }
    for choices, field in ((Priority, "priority"), (Category, "category"), (Status, "status")):
        for value in choices.values:
            aggregates[f"{field}:{value}"] = Count("id", filter=Q(**{field: value}))
    for value in Category.values:
        # Per suggested category: how often a suggestion of this label was kept.
        aggregates[f"reviewed:{value}"] = Count("id", filter=by_human & Q(suggested_category=value))
        aggregates[f"accepted:{value}"] = Count(
            "id", filter=by_human & Q(category=value, suggested_category=value)
        )
    row = Ticket.objects.aggregate(**aggregates)

    total: int = row["total"]
    days = _days_inclusive(row["first_created"], timezone.localdate())
    return {
        "total_tickets": total,
        "open_tickets": row["status:open"],
        "avg_tickets_per_day": round(total / days, 1) if days else 0.0,
        "priority_breakdown": {value: row[f"priority:{value}"] for value in Priority.values},
        "category_breakdown": {value: row[f"category:{value}"] for value in Category.values},
        "status_breakdown": {value: row[f"status:{value}"] for value in Status.values},
        "acceptance": {
            "rate": _rate(row["accepted"], row["reviewed"]),
            "reviewed": row["reviewed"],
            "by_category": {
                value: _rate(row[f"accepted:{value}"], row[f"reviewed:{value}"])
                for value in Category.values
            },
        },
    }


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None
