"""Search over title and description, on both databases, behind one small interface.

`backend()` picks the implementation for the default database once; callers use only
`filter` (narrow a queryset to the matches) and `plan` (how to page through the matches).

- PostgreSQL: full-text search on the GIN-indexed `search_vector` column, kept by a trigger
  (migration 0003) with english stemming, title words weighted above description words.
  Relevance ordering with `ts_rank`.
- SQLite (the embedded default of `make run`): every word must occur as a substring of the title
  or the description, compared case-folded by a Python function registered on each connection.
  No relevance: results stay newest first.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    DateTimeField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.lookups import Contains

from tickets.models import Ticket

SEARCH_MAX_LENGTH = 200
# Must match the configuration of the search_vector trigger (migration 0003).
SEARCH_CONFIG = "english"
RANK_ANNOTATION = "search_rank"
TOTAL_ANNOTATION = "search_total"

# Reading a page of a search newest first costs about 51 x (tickets the labels select / matches)
# rows when walking an index, and about `matches` rows (each several times dearer) when fetching
# every match from the GIN index and sorting. Walking wins once matches^2 exceeds this factor x
# the labelled rows: at a million tickets a search is "dense" from ~3,000 matches.
DENSE_SEARCH_FACTOR = 10


@dataclass(frozen=True)
class SearchPlan:
    """How to page through a search's matches.

    `queryset` is in page order: newest first, or by `RANK_ANNOTATION` then newest when
    `by_relevance`. `estimate` is set when counting the matches would cost more than the page
    (many matches): the count is then this estimate. Otherwise, when the rows carry
    `TOTAL_ANNOTATION`, that is the exact count.
    """

    queryset: QuerySet[Ticket]
    by_relevance: bool = False
    estimate: int | None = None


class Search:
    """The contract of a search implementation."""

    def filter(self, queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
        """Tickets of `queryset` whose title or description contains every word of `text`,
        case-insensitively. Order is left to the caller; blank text narrows nothing."""
        raise NotImplementedError

    def plan(
        self, matches: QuerySet[Ticket], *, labelled: QuerySet[Ticket], text: str, relevance: bool
    ) -> SearchPlan:
        """Page order for `matches` (already filtered, newest first). `labelled` is the same
        listing without the search; `relevance` asks for best matches first where supported."""
        return SearchPlan(matches)


class SQLiteSearch(Search):
    def filter(self, queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
        # SQLite's LIKE ignores case for ASCII letters only, so both sides are case-folded in
        # Python ("CAFÉ" finds "café").
        title = Func(F("title"), function="casefold", output_field=TextField())
        description = Func(F("description"), function="casefold", output_field=TextField())
        for word in text.split():
            folded = word.casefold()
            queryset = queryset.filter(
                Q(Contains(title, folded)) | Q(Contains(description, folded))
            )
        return queryset


def register_sqlite_casefold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: give SQLite a Unicode-aware `casefold()` (its own LIKE and
    lower() fold ASCII only)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "casefold",
            1,
            lambda text: None if text is None else text.casefold(),
            deterministic=True,
        )


class PostgresSearch(Search):
    def filter(self, queryset: QuerySet[Ticket], text: str) -> QuerySet[Ticket]:
        """Stemmed ("charges" finds "charged"); a last word still being typed matches as a prefix
        ("passw" finds "password"). Stop words alone ("the") narrow nothing."""
        if not text.split():
            return queryset
        return queryset.filter(SearchMatch(text))

    def plan(
        self, matches: QuerySet[Ticket], *, labelled: QuerySet[Ticket], text: str, relevance: bool
    ) -> SearchPlan:
        """First asks the planner how many tickets the search will match and how many the labels
        alone select (one EXPLAIN, well under a millisecond), because the planner's own choice
        goes wrong for rare words: not knowing them, it guesses ~0.2% of the table and walks the
        newest-first index, reading half a million rows to find a term 100 tickets contain. A
        sparse search is therefore ordered by an expression no index provides, which leaves the
        GIN index as the only way in, and its total rides along with the rows.

        Relevance ranks every match, so it costs in proportion to the matches (bench/RESULTS.md).
        """
        estimate, labelled_rows = _planner_rows(matches, labelled)
        dense = estimate**2 > DENSE_SEARCH_FACTOR * labelled_rows
        queryset = matches
        if not dense:
            unindexed = ExpressionWrapper(
                F("created_at") + dt.timedelta(0), output_field=DateTimeField()
            )
            # An uncorrelated subquery (run once): the matches are few and already being read,
            # and the list stays at two queries.
            total = matches.order_by().annotate(n=Func(F("id"), function="COUNT"))
            queryset = queryset.order_by(unindexed.desc(), "-id").annotate(
                **{TOTAL_ANNOTATION: Subquery(total.values("n"))}
            )
        if relevance:
            queryset = queryset.annotate(**{RANK_ANNOTATION: SearchRank(text)}).order_by(
                f"-{RANK_ANNOTATION}", "-created_at", "-id"
            )
        return SearchPlan(queryset, by_relevance=relevance, estimate=estimate if dense else None)


def _planner_rows(*querysets: QuerySet[Ticket]) -> list[int]:
    """The planner's row estimate for each queryset, from a single EXPLAIN of their UNION ALL."""
    first, *others = [qs.order_by().values("id") for qs in querysets]
    plan = json.loads(first.union(*others, all=True).explain(format="json"))[0]["Plan"]
    if len(querysets) == 1:
        return [int(plan["Plan Rows"])]
    return [int(child["Plan Rows"]) for child in plan["Plans"]]


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
        # Cast to float8 so the rank in a cursor (JSON, a float8) compares equal to the rank the
        # database recomputes for the next page.
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


@cache
def _backend(vendor: str) -> Search:
    return PostgresSearch() if vendor == "postgresql" else SQLiteSearch()


def backend() -> Search:
    """The search implementation for the default database."""
    return _backend(connection.vendor)
