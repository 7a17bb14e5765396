"""Substring search on PostgreSQL: the `pg_trgm` extension and a GIN trigram index over a
ticket's title and description, beside the full-text index of migration 0003.

Full-text search finds words (stemmed, a last word as a prefix) but not fragments: six characters
from the middle of a reference code, a number inside a longer token, an email address as typed.
The trigram index answers `ILIKE '%fragment%'` (case-insensitive) for any fragment of three
characters or more; `tickets.search` combines both per word.

The expression must stay exactly the one `tickets.search.SUBSTRING_SQL` writes, or the planner
will not use the index. PostgreSQL only: `TrigramExtension` does nothing on SQLite, and the index
is created by SQL run only on PostgreSQL (SQLite searches by substring without an index).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from tickets.migrations._postgresql import on_postgresql

INDEX = "ticket_search_trigram"
FORWARD = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON tickets_ticket "
    "USING gin ((title || ' ' || description) gin_trgm_ops)"
)
BACKWARD = f"DROP INDEX IF EXISTS {INDEX}"


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0008_ticket_team_assignee"),
    ]

    operations = [
        TrigramExtension(),
        on_postgresql([FORWARD], [BACKWARD]),
    ]
