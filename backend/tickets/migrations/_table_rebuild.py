"""What a migration that changes `tickets_ticket` must put back (not a migration itself: the
loader skips modules whose name starts with an underscore).

- SQLite cannot alter a column in place: Django copies the table into a new one, and the copy
  has no triggers, so the counters would silently stop counting. `restore_after_rebuild`
  re-creates the counter triggers as migrations 0003 and 0005 left them (idempotent).
- PostgreSQL: Django makes every new foreign key DEFERRABLE INITIALLY DEFERRED; on the ticket
  table that leaves a pending trigger event per insert, and PostgreSQL then refuses TRUNCATE and
  CREATE INDEX in the same transaction (the seeder and the counter rebuild do both). They are
  made immediate, as migration 0006 did for the requester.

Run it as the last operation of any migration that adds or alters a ticket column.
"""

from importlib import import_module
from typing import Any

_counters = import_module("tickets.migrations.0003_counters_search")
_decrements = import_module("tickets.migrations.0005_sqlite_counter_decrements")
_requester = import_module("tickets.migrations.0006_ticket_requester")

_SQLITE_INSERT_TRIGGER = _counters.SQLITE_FORWARD[0]


def restore_after_rebuild(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _requester.immediate_requester_fk(apps, schema_editor)
    elif vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS ticket_counter_insert")
            cursor.execute(_SQLITE_INSERT_TRIGGER)
            for statement in _decrements.FORWARD:
                cursor.execute(statement)
