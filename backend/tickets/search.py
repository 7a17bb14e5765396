"""Search over title and description, on both databases, behind one small interface.

`backend()` picks the implementation for the default database once; callers use only
`filter` (narrow a queryset to the matches) and `plan` (how to page through the matches).

- PostgreSQL: every word must match in either of two ways: as a word, by full-text search on
  the GIN-indexed `search_vector` column, kept by a trigger (migration 0003) with english
  stemming, title words weighted above description words; or, for a word of three characters or
  more, as a case-insensitive substring of the title or description, through the GIN trigram
  index of migration 0009 (pg_trgm). So "charges" finds "charged", and six characters from the
  middle of a reference code, an email address or a number inside a longer token are found too.
  Relevance ordering with `ts_rank`. Both indexes exist again over only the open and only the
  in-progress tickets (migration 0013): a search narrowed to one of those statuses reads them.
- SQLite (the embedded default of `make run`): every word must occur as a substring of the title
  or the description, compared case-folded by a Python function registered on each connection.
  No relevance: results stay newest first.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection, transaction
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

# Below this many matches X-Total-Count is exact; above it, an estimate flagged as such.
EXACT_COUNT_LIMIT = 10_000
# A dense-looking search is tried on this many of the newest tickets first (`_sample`).
SAMPLE_ROWS = 1000
# A sampled estimate this many times the limit is taken to be above it (not counted).
COUNT_MARGIN = 2
# pg_trgm extracts no trigram from a shorter fragment: its index could not narrow the search.
TRIGRAM_MIN_LENGTH = 3
# The expression of the trigram index (migration 0009), with `{table}` the ticket table's alias.
SUBSTRING_SQL = '({table}."title" || \' \' || {table}."description")'

# `?ordering=relevance` of a search with many matches ranks the newest this many of them: ranking
# every match of a common word took 3.5 s at ten million tickets (about 280,000 matches).
RELEVANCE_POOL = 1000

# Reading a page of a search newest first costs about 51 x (tickets the labels select / matches)
# rows when walking an index, and about `matches` rows (each several times dearer) when fetching
# every match from the GIN index and sorting. Walking wins once matches^2 exceeds this factor x
# the labelled rows: at a million tickets a search is "dense" from ~3,000 matches.
DENSE_SEARCH_FACTOR = 10


@dataclass(frozen=True)
class SearchPlan:
    """How to page through a search's matches.

    `queryset` is in page order: newest first, or by `RANK_ANNOTATION` then newest when
    `by_relevance`. `total` is the exact count when the plan already knows it. `estimate` is
    set when there are at least `EXACT_COUNT_LIMIT` matches (counting them would cost more than
    the page): the count is then this estimate. Otherwise, when the rows carry
    `TOTAL_ANNOTATION`, that is the exact count.
    """

    queryset: QuerySet[Ticket]
    by_relevance: bool = False
    estimate: int | None = None
    total: int | None = None


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
        """Every word must match, as a word or (three characters or more) as a substring.

        As a word: stemmed ("charges" finds "charged"); a last word still being typed matches as
        a prefix ("passw" finds "password"); a stop word ("the") narrows nothing on its own. As a
        substring, case-insensitive: "7731" finds "ORD877310X", "example-shop" finds
        "jo@example-shop.com". Shorter words match as words only (no trigram index serves them).
        """
        return queryset.filter(_condition(text))

    def plan(
        self, matches: QuerySet[Ticket], *, labelled: QuerySet[Ticket], text: str, relevance: bool
    ) -> SearchPlan:
        """Chooses how to read a page: walk the newest-first index and test each row (a dense
        search, many matches), or fetch every match from the GIN indexes and sort them (a sparse
        one). Walking for a search that matches nothing reads the whole table; fetching the
        matches of a common word reads tens of thousands of rows.

        First the planner's estimates of the matches and of the tickets the labels alone select
        (one EXPLAIN, well under a millisecond). A search it calls sparse is sparse: it knows
        common words. But it does not know rare words, prefixes of words it has never seen (a
        typo, "zzqqxx") or substrings, and guesses "common" for them. So a search it calls dense
        is tried on the newest `SAMPLE_ROWS` tickets of the listing (`_sample`, a few ms: the
        rows every list reads): its share of them estimates its matches (capped by the
        planner's figure: the newest tickets may be a burst of one kind), and decides. A typo
        then costs a lookup of empty posting lists instead of a walk of the whole table.

        A dense search is counted exactly (through the indexes, no further than
        `EXACT_COUNT_LIMIT`) when the sample leaves any doubt that it has fewer matches than
        that limit; otherwise its count is the sample's estimate, flagged as such. A sparse
        search is ordered by an expression no index provides, which leaves the GIN indexes as
        the only way in, and its exact total rides along with the rows.

        Relevance ranks every match of a sparse search, and the newest `RELEVANCE_POOL` matches
        of a dense one: ranking every match of a common word costs in proportion to the table
        (bench/RESULTS.md).
        """
        if matches.query.is_empty():  # another filter already selects nothing (`.none()`)
            return SearchPlan(matches, by_relevance=relevance, total=0)
        estimate, labelled_rows = _planner_rows(matches, labelled)
        dense = _dense(estimate, labelled_rows)
        total = None
        if dense:
            planned = estimate
            hits, read = _sample(labelled, text, SAMPLE_ROWS)
            if read < SAMPLE_ROWS:  # the sample holds every ticket of the listing
                total = estimate = hits
            else:
                # The newest tickets may be unlike the rest (a burst of one kind): the planner's
                # figure, right for the words it knows, caps the sampled one.
                sampled = max(hits, round(hits * max(labelled_rows, read) / read))
                estimate = min(sampled, max(estimate, hits))
            dense = _dense(estimate, labelled_rows)
            if not dense and total is None:
                # The sample says sparse against the planner. A burst of one kind of ticket (an
                # outage's reports, a batch filed by a script) can hide a common word from the
                # newest tickets: reading all of its matches through the indexes would then cost
                # seconds. So count them there first, no further than where walking the
                # newest-first index gets cheaper (`_dense`): a true typo costs a lookup in the
                # indexes, a rare word its few matches (then the exact total); reaching it
                # proves the sample wrong, and the planner's figure stands. (Stopping sooner
                # would send a rare word with a few thousand matches on a walk of millions.)
                enough = dense_threshold(labelled_rows)
                found = _bounded_count(matches, enough)
                if found >= enough:
                    dense, estimate = True, max(planned, found)
                else:
                    total = estimate = found
        if dense and total is None:
            if estimate < COUNT_MARGIN * EXACT_COUNT_LIMIT:
                found = _bounded_count(matches, EXACT_COUNT_LIMIT)
                if found < EXACT_COUNT_LIMIT:
                    total = found
            estimate = max(estimate, EXACT_COUNT_LIMIT)
        queryset = matches
        if not dense and total is None:
            # An uncorrelated subquery (run once): the matches are few and already being read.
            count = matches.order_by().annotate(n=Func(F("id"), function="COUNT"))
            queryset = queryset.annotate(**{TOTAL_ANNOTATION: Subquery(count.values("n"))})
        if not dense:
            unindexed = ExpressionWrapper(
                F("created_at") + dt.timedelta(0), output_field=DateTimeField()
            )
            queryset = queryset.order_by(unindexed.desc(), "-id")
        if relevance:
            if dense:
                # Many matches: rank the newest `RELEVANCE_POOL` (the walk of a dense page, only
                # longer), so the cost no longer grows with the table. A sparse search's
                # matches are few by definition: all of them are ranked.
                newest = matches.order_by("-created_at", "-id").values("id")[:RELEVANCE_POOL]
                queryset = Ticket.objects.filter(id__in=Subquery(newest))
            queryset = queryset.annotate(**{RANK_ANNOTATION: SearchRank(tsquery(text))}).order_by(
                f"-{RANK_ANNOTATION}", "-created_at", "-id"
            )
        return SearchPlan(
            queryset,
            by_relevance=relevance,
            estimate=estimate if dense and total is None else None,
            total=total,
        )


def _condition(text: str) -> Q:
    """Every word of `text` matches (`WordMatch`); the last as a prefix while being typed."""
    words = text.split()
    condition = Q()
    for position, word in enumerate(words):
        condition &= Q(WordMatch(word, prefix=position == len(words) - 1 and _typing(text)))
    return condition


def _dense(matches: int, labelled_rows: int) -> bool:
    return matches**2 > DENSE_SEARCH_FACTOR * labelled_rows


def dense_threshold(labelled_rows: int) -> int:
    """The fewest matches `_dense` calls dense among `labelled_rows` tickets."""
    return math.isqrt(DENSE_SEARCH_FACTOR * labelled_rows) + 1


def _sample(labelled: QuerySet[Ticket], text: str, rows: int) -> tuple[int, int]:
    """(matches, tickets read) among the newest `rows` tickets of `labelled`: the same walk of a
    newest-first index as a dense page, but bounded, whatever the search matches."""
    hit = ExpressionWrapper(_condition(text), output_field=BooleanField())
    newest = labelled.order_by("-created_at", "-id").annotate(hit=hit).values("hit")[:rows]
    sql, params = newest.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FILTER (WHERE hit), count(*) FROM ({sql}) AS newest", params
        )
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _typing(text: str) -> bool:
    """The text ends inside a word: someone is still typing its last word."""
    return text[-1:].isalnum() or text[-1:] == "_"


# Planner settings that leave bitmap scans (of the GIN indexes) as the only way to the rows.
_BITMAP_ONLY = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")


def _bounded_count(queryset: QuerySet[Ticket], limit: int) -> int:
    """How many rows `queryset` has, counting no further than `limit`, read through bitmap
    scans of the indexes only: a search matching nothing costs a lookup in the GIN indexes
    (well under a millisecond), and one matching thousands stops after `limit` rows."""
    sql, params = queryset.order_by().values("id")[:limit].query.sql_with_params()
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("; ".join(f"SET LOCAL {name} = off" for name in _BITMAP_ONLY))
        cursor.execute(f"SELECT count(*) FROM ({sql}) AS bounded", params)
        row = cursor.fetchone()
        if nested:  # SET LOCAL lasts until the outermost transaction ends
            cursor.execute("; ".join(f"RESET {name}" for name in _BITMAP_ONLY))
    return int(row[0]) if row else 0


def _planner_rows(*querysets: QuerySet[Ticket]) -> list[int]:
    """The planner's row estimate for each queryset, from a single EXPLAIN of their UNION ALL."""
    first, *others = [qs.order_by().values("id") for qs in querysets]
    plan = json.loads(first.union(*others, all=True).explain(format="json"))[0]["Plan"]
    if len(querysets) == 1:
        return [int(plan["Plan Rows"])]
    children = plan.get("Plans") or []
    if plan["Node Type"] != "Append" or len(children) != len(querysets):
        # The planner dropped a branch it proved empty: ask about each on its own.
        return [_planner_rows(queryset)[0] for queryset in querysets]
    return [int(child["Plan Rows"]) for child in children]


class _OnSearchVector(Func):
    """Base of the expressions over `search_vector`, which is not a model field (SQLite has no
    tsvector): the column is reached through the alias of `id`, which keeps it right inside
    subqueries, where Django renames the table (U0)."""

    def __init__(self, query: str) -> None:
        """`query`: `to_tsquery` input, as `tsquery` writes it."""
        super().__init__(F("id"))
        self.query = query

    def _table(self, compiler: Any) -> tuple[str, list[Any]]:
        """The SQL alias of the ticket table in this query, and the parameters of `id`."""
        id_sql, id_params = compiler.compile(self.get_source_expressions()[0])
        return id_sql.rsplit(".", 1)[0], list(id_params)


class WordMatch(_OnSearchVector):
    """One word of a search on PostgreSQL, for the table as this query aliases it, matched the
    ways that can find it:

    - a word of letters: in `search_vector` (full text, stemmed, GIN) or, from three letters,
      as a substring of the title or description (`ILIKE`, GIN trigram index);
    - anything else of three characters or more (a code, a number, an email address): as a
      substring only. Stemming means nothing to it, and the full-text parser would split it
      into parts whose posting lists are long ("INV-2024-0042": "inv" as a prefix);
    - anything shorter: full text only (pg_trgm could not narrow it).
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, word: str, *, prefix: bool) -> None:
        super().__init__(_quoted(word) + (":*" if prefix else ""))
        self.word = word

    def as_sql(  # type: ignore[override]
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, list[Any]]:
        table, id_params = self._table(compiler)
        substring = len(self.word) >= TRIGRAM_MIN_LENGTH
        parts, params = [], []
        if self.word.isalpha() or not substring:
            query = "to_tsquery(%s::regconfig, %s)"
            # Stop words are dropped from the query; one made only of them ("a", typed as the
            # first letter of a word) carries no information and narrows nothing, like an empty
            # search. The test is on constants, so the planner folds it away.
            parts.append(f'numnode({query}) = 0 OR {table}."search_vector" @@ {query}')
            params += [SEARCH_CONFIG, self.query, *id_params, SEARCH_CONFIG, self.query]
        if substring:
            parts.append(f"{SUBSTRING_SQL.format(table=table)} ILIKE %s")
            params += [*id_params, *id_params, "%" + _like_escape(self.word) + "%"]
        return "(" + " OR ".join(parts) + ")", params


def _like_escape(word: str) -> str:
    """`word` as a literal inside a LIKE pattern (backslash is the default escape)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
    quoted = [_quoted(chunk) for chunk in text.split()]
    if quoted and _typing(text):
        quoted[-1] += ":*"
    return " & ".join(quoted)


def _quoted(chunk: str) -> str:
    return "'" + chunk.replace("\\", "\\\\").replace("'", "''") + "'"


@cache
def _backend(vendor: str) -> Search:
    return PostgresSearch() if vendor == "postgresql" else SQLiteSearch()


def backend() -> Search:
    """The search implementation for the default database."""
    return _backend(connection.vendor)
