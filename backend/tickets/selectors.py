"""Reads. Each returns a queryset or plain data computed by the database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from tickets.filters import SearchRank, TicketFilter
from tickets.models import Category, Priority, Status, Ticket, TicketCounter
from tickets.pagination import Page, keyset_page
from tickets.relevance import RANK_ANNOTATION, relevance_page

# Reading a page of a search newest first costs about 51 x (tickets the labels select / matches)
# rows when walking an index, and about `matches` rows (each several times dearer) when fetching
# every match from the GIN index and sorting. Walking wins once matches^2 exceeds this factor x
# the labelled rows: at a million tickets a search is "dense" from ~3,000 matches.
DENSE_SEARCH_FACTOR = 10
LABEL_FILTERS = ("category", "priority", "status")
TOTAL_ANNOTATION = "search_total"


@dataclass(frozen=True)
class TotalCount:
    value: int
    exact: bool


@dataclass
class TicketListing:
    """The list's queryset (newest first) and how to count it; see `ticket_listing`."""

    queryset: QuerySet[Ticket]
    labels: dict[str, list[str]]
    searching: bool
    dense: bool = False
    estimate: int = 0
    by_relevance: bool = False

    def page(self, *, cursor: str | None, limit: int) -> Page[Ticket]:
        """One keyset page in this listing's order (newest first, or relevance)."""
        if self.by_relevance:
            return relevance_page(self.queryset, cursor=cursor, limit=limit)
        return keyset_page(self.queryset, cursor=cursor, limit=limit)

    def count(self, page: Sequence[Ticket] = ()) -> TotalCount:
        """How many tickets match over all pages, given the page already read from `queryset`.

        Without a search term: exact, from the counters, for any label combination (one query).
        A sparse search: exact, carried by the page's rows (no query unless the page is empty).
        A dense search: PostgreSQL's estimate, flagged inexact, since counting 30,000 matches of
        a common word would cost several times the page itself (no query).
        """
        if not self.searching:
            filters = {f"{field}__in": values for field, values in self.labels.items()}
            total = TicketCounter.objects.filter(**filters).aggregate(n=Sum("tickets", default=0))
            return TotalCount(int(total["n"]), exact=True)
        if self.dense:
            return TotalCount(self.estimate, exact=False)
        if page and hasattr(page[0], TOTAL_ANNOTATION):
            return TotalCount(int(getattr(page[0], TOTAL_ANNOTATION)), exact=True)
        return TotalCount(self.queryset.order_by().count(), exact=True)


def ticket_listing(
    *, filters: Mapping[str, Any] | None = None, ordering: str | None = None
) -> TicketListing:
    """The filtered tickets, newest first (ties broken by id), and their count.

    `ordering="relevance"` with a search term on PostgreSQL orders by `ts_rank` instead (title
    above description), ties newest first; it ranks every match, so it costs in proportion to
    the matches (see bench/RESULTS.md). Elsewhere, or without a term, the order stays newest.

    On PostgreSQL a search first asks the planner how many tickets it will match and how many
    the labels alone select (one EXPLAIN, well under a millisecond), because the planner's own
    choice goes wrong for rare words: not knowing them, it guesses ~0.2% of the table and walks
    the newest-first index, reading half a million rows to find a term 100 tickets contain. A
    sparse search (see DENSE_SEARCH_FACTOR) is therefore ordered by an expression no index
    provides, which leaves the GIN index as the only way in.

    Raises `ValidationError` for an unknown choice or an over-long search term.
    """
    filterset = TicketFilter(filters or {}, queryset=Ticket.objects.order_by("-created_at", "-id"))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    data = filterset.form.cleaned_data
    labels = {
        field: values
        for field in LABEL_FILTERS
        if (values := [value for value in data.get(field) or () if value])
    }
    searching = bool((data.get("search") or "").strip())
    listing = TicketListing(filterset.qs, labels, searching)
    if ordering not in (None, "", "newest", "relevance"):
        raise ValidationError({"ordering": ['Must be "newest" or "relevance".']})
    if searching and connection.vendor == "postgresql":
        labelled = Ticket.objects.filter(**{f"{f}__in": v for f, v in labels.items()})
        listing.estimate, labelled_rows = _planner_rows(listing.queryset.order_by(), labelled)
        listing.dense = listing.estimate**2 > DENSE_SEARCH_FACTOR * labelled_rows
        if not listing.dense:
            unindexed = ExpressionWrapper(
                F("created_at") + dt.timedelta(0), output_field=DateTimeField()
            )
            # The total rides along as an uncorrelated subquery (run once): the matches are few
            # and already being read, and the list stays at two queries.
            matches = filterset.qs.order_by().annotate(n=Func(F("id"), function="COUNT"))
            listing.queryset = listing.queryset.order_by(unindexed.desc(), "-id").annotate(
                **{TOTAL_ANNOTATION: Subquery(matches.values("n"))}
            )
        if ordering == "relevance":
            listing.by_relevance = True
            listing.queryset = listing.queryset.annotate(
                **{RANK_ANNOTATION: SearchRank(data["search"])}
            ).order_by(f"-{RANK_ANNOTATION}", "-created_at", "-id")
    return listing


def ticket_list(*, filters: Mapping[str, Any] | None = None) -> QuerySet[Ticket]:
    """Tickets newest first (ties broken by id), narrowed by the list's query-string filters.

    Raises `ValidationError` for an unknown choice or an over-long search term.
    """
    return ticket_listing(filters=filters).queryset


def _planner_rows(*querysets: QuerySet[Ticket]) -> list[int]:
    """The planner's row estimate for each queryset, from a single EXPLAIN of their UNION ALL."""
    first, *others = [qs.order_by().values("id") for qs in querysets]
    plan = json.loads(first.union(*others, all=True).explain(format="json"))[0]["Plan"]
    if len(querysets) == 1:
        return [int(plan["Plan Rows"])]
    return [int(child["Plan Rows"]) for child in plan["Plans"]]


def ticket_get(*, ticket_id: int) -> Ticket:
    """One ticket; raises `Ticket.DoesNotExist`."""
    return Ticket.objects.get(pk=ticket_id)


def _days_inclusive(first: dt.datetime | None, today: dt.date) -> int:
    if first is None:
        return 0
    return (today - timezone.localtime(first).date()).days + 1


def _stats_columns() -> dict[str, str]:
    """Name -> SQL expression of every figure, each a filtered sum over the counter rows."""
    by_human = "category_by_human AND suggested_category <> ''"
    columns = {
        "total": "SUM(tickets)",
        "reviewed": f"SUM(tickets) FILTER (WHERE {by_human})",
        "accepted": f"SUM(tickets) FILTER (WHERE {by_human} AND category = suggested_category)",
    }
    for choices, field in ((Priority, "priority"), (Category, "category"), (Status, "status")):
        for value in choices.values:
            columns[f"{field}:{value}"] = f"SUM(tickets) FILTER (WHERE {field} = '{value}')"
    for value in Category.values:
        # Per suggested category: how often a suggestion of this label was kept.
        columns[f"reviewed:{value}"] = (
            f"SUM(tickets) FILTER (WHERE {by_human} AND suggested_category = '{value}')"
        )
        columns[f"accepted:{value}"] = (
            f"SUM(tickets) FILTER (WHERE {by_human} AND category = '{value}' "
            f"AND suggested_category = '{value}')"
        )
    return columns


STATS_COLUMNS = _stats_columns()
# Written out once rather than built with the ORM on every call: composing ~40 filtered
# aggregates cost ~4 ms of Python per request, ten times the query itself. The labels are the
# models' own choices, not input. FILTER works on PostgreSQL and SQLite alike.
STATS_SQL = (
    "SELECT "
    # SUM over bigint is numeric on PostgreSQL: cast back so counts are ints on both backends.
    + ", ".join(f"CAST(COALESCE({sql}, 0) AS BIGINT)" for sql in STATS_COLUMNS.values())
    # An uncorrelated subquery: run once, from the created_at index.
    + f", (SELECT MIN(created_at) FROM {Ticket._meta.db_table})"
    + f" FROM {TicketCounter._meta.db_table}"
)


def ticket_stats() -> dict[str, Any]:
    """The dashboard's figures in one query over the trigger-kept counters (see TicketCounter).

    Summing a few hundred counter rows costs the same at a million tickets as at ten; a filtered
    aggregate over the tickets themselves grows with the table (254 ms at 1M, bench/RESULTS.md).
    """
    with connection.cursor() as cursor:
        cursor.execute(STATS_SQL)
        values = cursor.fetchone()
    row: dict[str, Any] = dict(zip(STATS_COLUMNS, values, strict=False))
    first_created = values[-1]
    if isinstance(first_created, str):  # SQLite returns a raw subquery's datetime as text
        first_created = dt.datetime.fromisoformat(first_created).replace(tzinfo=dt.UTC)
    row["first_created"] = first_created

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
