"""Search within the working statuses: full-text and trigram GIN indexes over only the open, and
only the in-progress, tickets (PostgreSQL), beside the indexes over every ticket (0003, 0009).

An agent's search is usually narrowed to open or in-progress tickets, the few among many (a
help desk keeps years of closed ones). Through the indexes over every ticket, such a search
built a bitmap of all of a word's matches and another of every open ticket, then intersected
them: both grow with the table. At ten million tickets `refund` with `status=open` took 965 ms
and `kerberos` with `status=open&category=technical` 128 ms (bench/RESULTS.md). An index whose
predicate is the status filter itself holds only those tickets' words, so the planner reads a
posting list the size of the answer and needs no status bitmap at all.

A ticket moving out of a status leaves these indexes; one entering it is added. The expressions
must stay exactly those `tickets.search` writes, and the status values those of `Status`. Built CONCURRENTLY (outside a transaction), so
an upgrade does not block writes to a large table.
"""

from django.db import migrations

from tickets.migrations._postgresql import on_postgresql

# The expressions of the indexes over every ticket: `search_vector` (0003) and the trigram
# expression of 0009, which `tickets.search.SUBSTRING_SQL` writes.
FULL_TEXT = "search_vector"
TRIGRAM = "(title || ' ' || description) gin_trgm_ops"
INDEXES = {
    f"ticket_{status}_{kind}": (status, expression)
    for status in ("open", "in_progress")
    for kind, expression in (("search", FULL_TEXT), ("search_trigram", TRIGRAM))
}


FORWARD = [
    f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON tickets_ticket USING gin ({expression}) "
    f"WHERE status = '{status}'"
    for name, (status, expression) in INDEXES.items()
]
BACKWARD = [f"DROP INDEX CONCURRENTLY IF EXISTS {name}" for name in INDEXES]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("tickets", "0012_sla_at_risk_index_by_risk_moment"),
    ]

    operations = [
        on_postgresql(FORWARD, BACKWARD),
    ]
