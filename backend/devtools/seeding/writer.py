"""Bulk writers for generated tickets: COPY on PostgreSQL, batched INSERTs elsewhere.

Counters stay exact without help: the ticket table's triggers (migration 0003) count whatever a
COPY or INSERT writes. Change history is not written for seeded tickets: they were never edited.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from queue import Queue
from typing import Any, TypeVar

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from devtools.seeding.generator import TicketGenerator
from devtools.seeding.requesters import RequesterPicker, ensure_requesters
from tickets.models import Ticket, TicketCounter

Progress = Callable[[int], None]

COLUMNS = (
    "title",
    "description",
    "category",
    "priority",
    "status",
    "created_at",
    "updated_at",
    "suggested_category",
    "suggested_priority",
    "triage_provider",
    "triage_confidence",
    "category_by_human",
    "priority_by_human",
    "requester_id",
)
TABLE = Ticket._meta.db_table
SEARCH_TRIGGER = "ticket_search_vector_insert"
CHUNK = 20_000
NULL = "\\N"  # COPY's text format
T = TypeVar("T")


@dataclass
class SeedReport:
    count: int
    rows_seconds: float
    index_seconds: float
    analyze_seconds: float
    rebuilt_indexes: bool
    requesters: int = 0
    requesters_seconds: float = 0.0

    @property
    def total_seconds(self) -> float:
        return (
            self.requesters_seconds + self.rows_seconds + self.index_seconds + self.analyze_seconds
        )


def _check_columns() -> None:
    """Refuse to load when the model gained a required column this writer does not fill."""
    known = {*COLUMNS, "id"}
    for model_field in Ticket._meta.concrete_fields:
        column = model_field.column
        if column in known or model_field.null or model_field.has_db_default():
            continue
        raise RuntimeError(f"seed_tickets does not know how to fill the new column {column!r}.")


def _vectorize(texts: Sequence[str]) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('english'::regconfig, t)::text,"
            " to_tsvector('english'::regconfig, t || %s)::text"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i",
            [TicketGenerator.probe_suffix(), list(texts)],
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def seed(
    *,
    count: int,
    seed: int,
    truncate: bool,
    progress: Progress,
    days: int = 365,
    now: dt.datetime | None = None,
    requesters: int = 0,
) -> SeedReport:
    """Add `count` tickets created over the last `days` (after emptying the table if `truncate`).

    With `requesters`, that many requester accounts exist afterwards (see
    `devtools.seeding.requesters`) and each ticket belongs to one of them; without, tickets have
    no requester, as those filed in open mode.
    """
    _check_columns()
    postgresql = connection.vendor == "postgresql"
    generator = TicketGenerator(
        seed=seed,
        now=now or timezone.now(),
        vectorize=_vectorize if postgresql else None,
        days=days,
    )
    started = time.perf_counter()
    picker = RequesterPicker(ensure_requesters(requesters), seed=seed) if requesters else None
    requesters_seconds = time.perf_counter() - started
    if postgresql:
        report = _seed_postgresql(
            generator, picker, count=count, truncate=truncate, progress=progress
        )
    else:
        report = _seed_portable(
            generator, picker, count=count, truncate=truncate, progress=progress
        )
    report.requesters = requesters
    report.requesters_seconds = requesters_seconds
    return report


def _requester_ids(picker: RequesterPicker | None, count: int) -> list[int | None]:
    return list(picker.pick(count)) if picker is not None else [None] * count


def _secondary_indexes(cursor: object) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the ticket indexes that back no constraint."""
    cursor.execute(  # type: ignore[attr-defined]
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        WHERE x.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ORDER BY i.relname
        """,
        [TABLE],
    )
    return [(row[0], row[1]) for row in cursor.fetchall()]  # type: ignore[attr-defined]


def _seed_postgresql(
    generator: TicketGenerator,
    picker: RequesterPicker | None,
    *,
    count: int,
    truncate: bool,
    progress: Progress,
) -> SeedReport:
    created = generator.timestamps(count)
    columns = ", ".join((*COLUMNS, "search_vector"))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Both statements take the table's exclusive lock until commit: a seed is a maintenance
        # operation, and the trigger is back on before anyone else can write.
        if truncate:
            # CASCADE: rows that belong to a ticket (its messages) go with it.
            cursor.execute(f"TRUNCATE {TABLE} RESTART IDENTITY CASCADE")
            existing = 0
        else:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            existing = cursor.fetchone()[0]
        # The vectors are computed here (see generator); the trigger would recompute each one.
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {SEARCH_TRIGGER}")
        # Building an index once over sorted data is several times cheaper than updating it row
        # by row, so a load that at least doubles the table drops and rebuilds the indexes.
        rebuild = count >= max(existing, 1)
        indexes = _secondary_indexes(cursor) if rebuild else []
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # FREEZE writes the rows already frozen and visible: no VACUUM needed to set hint bits.
        options = " WITH (FREEZE)" if truncate else ""
        # One COPY per chunk: the counters' statement trigger then sees a chunk-sized transition
        # table (one for the whole load spilled a million rows to temporary files). A thread
        # generates the next chunk while the database parses the current one.
        raw = cursor.cursor
        statement = f"COPY {TABLE} ({columns}) FROM STDIN{options}"
        chunks = (
            (_copy_text(generator, picker, chunk), len(chunk))
            for chunk in (created[start : start + CHUNK] for start in range(0, count, CHUNK))
        )
        for data, rows in _prefetched(chunks):
            with raw.copy(statement) as copy:
                copy.write(data)
            progress(rows)
        rows_done = time.perf_counter()
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _, statement in indexes:
            cursor.execute(statement)
        cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {SEARCH_TRIGGER}")
    indexes_done = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
        # Each chunk rewrote the counter rows: thousands of dead versions of a few hundred rows,
        # which every stats call would scan until autovacuum comes by (VACUUM cannot run in a
        # transaction: a seed inside one leaves them to autovacuum).
        if not connection.in_atomic_block:
            cursor.execute(f"VACUUM (ANALYZE) {TicketCounter._meta.db_table}")
    analyzed = time.perf_counter()
    return SeedReport(
        count=count,
        rows_seconds=rows_done - started,
        index_seconds=indexes_done - rows_done,
        analyze_seconds=analyzed - indexes_done,
        rebuilt_indexes=bool(indexes),
    )


def _prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """`items`, produced by a background thread up to `depth` ahead of the consumer."""
    done = object()
    queue: Queue[Any] = Queue(maxsize=depth)
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            for item in items:
                queue.put(item)
        except BaseException as exc:  # handed to the consumer below
            failure.append(exc)
        finally:
            queue.put(done)

    thread = threading.Thread(target=produce, name="seed-generator", daemon=True)
    thread.start()
    while (item := queue.get()) is not done:
        yield item
    thread.join()
    if failure:
        raise failure[0]


def _copy_text(
    generator: TicketGenerator, picker: RequesterPicker | None, created: np.ndarray
) -> bytes:
    """Rows in COPY's text format (generated text has no tab or backslash; newlines escaped)."""
    lines = []
    rows = generator.rows(created)
    requesters = _requester_ids(picker, len(created))
    for row, requester in zip(rows, requesters, strict=True):
        (title, description, category, priority, status, created_at, updated_at) = row[:7]
        (s_category, s_priority, provider, confidence, by_human_c, by_human_p, vector) = row[7:]
        description = description.replace("\n", "\\n")
        lines.append(
            f"{title}\t{description}\t{category}\t{priority}\t{status}\t"
            f"{created_at}\t{updated_at}\t{s_category}\t{s_priority}\t{provider}\t{confidence}\t"
            f"{'t' if by_human_c else 'f'}\t{'t' if by_human_p else 'f'}\t"
            f"{NULL if requester is None else requester}\t{vector}\n"
        )
    return "".join(lines).encode()


def _seed_portable(
    generator: TicketGenerator,
    picker: RequesterPicker | None,
    *,
    count: int,
    truncate: bool,
    progress: Progress,
) -> SeedReport:
    # Plain INSERTs rather than bulk_create: the model's auto_now would overwrite every
    # generated `updated_at` with the time of the load.
    created = generator.timestamps(count)
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    insert = f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if truncate:
            Ticket.objects.all().delete()
        for start in range(0, count, CHUNK):
            chunk = created[start : start + CHUNK]
            batch: list[list[Any]] = []
            requesters = _requester_ids(picker, len(chunk))
            for row, requester in zip(generator.rows(chunk), requesters, strict=True):
                values: list[Any] = [*row[:13], requester]
                for i in (5, 6):
                    moment = dt.datetime.fromisoformat(str(values[i]))
                    values[i] = connection.ops.adapt_datetimefield_value(moment)
                batch.append(values)
            cursor.executemany(insert, batch)
            progress(len(chunk))
    return SeedReport(
        count=count,
        rows_seconds=time.perf_counter() - started,
        index_seconds=0.0,
        analyze_seconds=0.0,
        rebuilt_indexes=False,
    )
