"""Query-string filters for the ticket list: each accepts one value or a comma-separated list."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db import connection
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, TextField
from django.db.models.lookups import Contains

from tickets.models import Category, Priority, Status, Ticket

SEARCH_MAX_LENGTH = 200
# Must match the configuration of the search_vector trigger (migration 0003).
SEARCH_CONFIG = "english"


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
        return search(queryset, value)


def search(queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
    """Tickets whose title or description contains every word of `text`, case-insensitively.

    PostgreSQL: full-text search on the GIN-indexed `search_vector` (english stemming, so
    "charges" finds "charged"); a last word still being typed matches as a prefix ("passw"
    finds "password"). Stop words alone ("the") match nothing. Elsewhere each word must occur
    as a substring of the title or the description. Order is left to the caller.
    """
    words = text.split()
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        return queryset.filter(SearchMatch(text))
    # SQLite's LIKE ignores case for ASCII letters only, so both sides are case-folded in Python
    # ("CAFÉ" finds "café").
    title = Func(F("title"), function="casefold", output_field=TextField())
    description = Func(F("description"), function="casefold", output_field=TextField())
    for word in words:
        folded = word.casefold()
        queryset = queryset.filter(Q(Contains(title, folded)) | Q(Contains(description, folded)))
    return queryset


class _OnSearchVector(Func):
    """Base of the expressions over `search_vector`, which is not a model field (SQLite has no
    tsvector): the column is reached through the alias of `id`, which keeps it right inside
    subqueries, where Django renames the table (U0)."""

    def __init__(self, text: str) -> None:
        super().__init__(F("id"))
        self.query = tsquery(text)

    def _table(self, compiler: Any) -> tuple[str, list[Any]]:
        """The SQL alias of the ticket table in this query, and the parameters of `id`."""
        id_sql, id_params = compiler.compile(self.get_source_expressions()[0])
        return id_sql.rsplit(".", 1)[0], list(id_params)


class SearchMatch(_OnSearchVector):
    """`search_vector @@ <query>` on PostgreSQL, for the table as this query aliases it."""

    output_field = BooleanField()
    conditional = True

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        table, id_params = self._table(compiler)
        query = "to_tsquery(%s::regconfig, %s)"
        # Stop words are dropped from the query; one made only of them ("a", typed as the first
        # letter of a word) carries no information and narrows nothing, like an empty search.
        # The test is on constants, so the planner folds it away and the GIN index still serves.
        sql = f'(numnode({query}) = 0 OR {table}."search_vector" @@ {query})'
        return sql, [SEARCH_CONFIG, self.query, *id_params, SEARCH_CONFIG, self.query]


class SearchRank(_OnSearchVector):
    """`ts_rank(search_vector, <query>)` on PostgreSQL: title words (weight A) count 2.5 times
    description words (B), with PostgreSQL's default weights {D 0.1, C 0.2, B 0.4, A 1.0}."""

    output_field = FloatField()

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        table, id_params = self._table(compiler)
        # float8: a float4 printed as text does not parse back to the same value, and the
        # relevance cursor compares ranks for equality.
        sql = f'ts_rank({table}."search_vector", to_tsquery(%s::regconfig, %s))::float8'
        return sql, [*id_params, SEARCH_CONFIG, self.query]


def tsquery(text: str) -> str:
    """`text` as `to_tsquery` input: every whitespace-separated chunk is required.

    Each chunk is quoted, so operators typed by a user are plain text, and PostgreSQL's own
    parser splits it exactly as it split the stored text ("INV-2024" and "user_id" included).
    The last chunk is a prefix when the text ends inside a word: someone is still typing it.
    """
    quoted = ["'" + chunk.replace("\\", "\\\\").replace("'", "''") + "'" for chunk in text.split()]
    if quoted and (text[-1:].isalnum() or text[-1:] == "_"):
        quoted[-1] += ":*"
    return " & ".join(quoted)
