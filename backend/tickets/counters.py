"""The ticket counters: how many tickets share each combination of the labels that stats and
list totals group by (see `TicketCounter`).

Database triggers keep them (migrations 0003 and 0005: PL/pgSQL on PostgreSQL, SQL triggers on
SQLite), in the transaction that changes a ticket, so every write path keeps them exact. Reading
them is the same SQL on both databases; only `rebuild` differs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet, Sum

from tickets.models import Category, Priority, Status, Ticket, TicketCounter


def count(labels: dict[str, list[str]]) -> int:
    """Tickets whose every label named in `labels` is one of the values given (one query)."""
    filters = {f"{field}__in": values for field, values in labels.items()}
    total = TicketCounter.objects.filter(**filters).aggregate(n=Sum("tickets", default=0))
    return int(total["n"])


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
STATS_SELECT = (
    "SELECT "
    # SUM over bigint is numeric on PostgreSQL: cast back so counts are ints on both backends.
    + ", ".join(f"CAST(COALESCE({sql}, 0) AS BIGINT)" for sql in STATS_COLUMNS.values())
    # An uncorrelated subquery: run once, from the created_at index.
    + f", (SELECT MIN(created_at) FROM {Ticket._meta.db_table})"
)
STATS_FROM = f" FROM {TicketCounter._meta.db_table}"


def figures(
    *counted: QuerySet[Ticket],
) -> tuple[dict[str, int], dt.datetime | None, list[int]]:
    """Every figure of `STATS_COLUMNS` by name, when the first ticket was created (None without
    tickets), and how many tickets each queryset of `counted` holds, in one query (each count
    an uncorrelated subquery on its own index: one round trip instead of one per count)."""
    extra, params = "", list[Any]()
    for i, queryset in enumerate(counted):
        sql, subquery_params = queryset.order_by().values("pk").query.sql_with_params()
        extra += f", (SELECT COUNT(*) FROM ({sql}) AS counted_{i})"
        params.extend(subquery_params)
    with connection.cursor() as cursor:
        cursor.execute(STATS_SELECT + extra + STATS_FROM, params)
        values = cursor.fetchone()
    row = {name: int(value) for name, value in zip(STATS_COLUMNS, values, strict=False)}
    first_created: Any = values[len(STATS_COLUMNS)]
    if isinstance(first_created, str):  # SQLite returns a raw subquery's datetime as text
        first_created = dt.datetime.fromisoformat(first_created).replace(tzinfo=dt.UTC)
    counts = [int(value) for value in values[len(STATS_COLUMNS) + 1 :]]
    return row, first_created, counts


RECOUNT = f"""
INSERT INTO {TicketCounter._meta.db_table}
    (category, priority, status, suggested_category, category_by_human, tickets)
SELECT category, priority, status, COALESCE(suggested_category, ''), category_by_human, count(*)
FROM {Ticket._meta.db_table}
GROUP BY 1, 2, 3, 4, 5
"""


def rebuild() -> tuple[int, int]:
    """Recount the counters from the tickets; returns (tickets, label combinations).

    For what the triggers cannot see: a partial restore of one table, or counters edited by
    hand. On PostgreSQL writers wait (SHARE lock) while the recount runs, so the result is exact
    when it commits; SQLite allows one writer at a time anyway.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {Ticket._meta.db_table} IN SHARE MODE")
        TicketCounter.objects.all().delete()
        cursor.execute(RECOUNT)
    return count({}), TicketCounter.objects.count()
