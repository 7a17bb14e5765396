"""SQLite: a decrement only ever lowers an existing counter row.

`manage.py flush` (and pytest-django between transactional tests) empties tables in an arbitrary
order. When it emptied the counters before the tickets, each ticket's delete trigger inserted a
-1 row, and the counters no longer matched an empty table. A decrement that finds no row now
does nothing: a ticket being deleted always has its row unless the counters were emptied with
it. PostgreSQL empties both tables with one TRUNCATE, whose trigger clears the counters.
"""

from django.db import migrations

KEY = "category, priority, status, suggested_category, category_by_human"


def _increment(row):
    return (
        f"INSERT INTO tickets_ticketcounter ({KEY}, tickets) "
        f"VALUES ({row}.category, {row}.priority, {row}.status, "
        f"COALESCE({row}.suggested_category, ''), {row}.category_by_human, 1) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET tickets = tickets + 1;"
    )


def _decrement(row):
    return (
        "UPDATE tickets_ticketcounter SET tickets = tickets - 1 "
        f"WHERE category = {row}.category AND priority = {row}.priority "
        f"AND status = {row}.status "
        f"AND suggested_category = COALESCE({row}.suggested_category, '') "
        f"AND category_by_human = {row}.category_by_human;"
    )


FORWARD = [
    "DROP TRIGGER IF EXISTS ticket_counter_delete",
    "DROP TRIGGER IF EXISTS ticket_counter_update",
    f"""CREATE TRIGGER ticket_counter_delete AFTER DELETE ON tickets_ticket
        BEGIN {_decrement("OLD")} END""",
    f"""CREATE TRIGGER ticket_counter_update AFTER UPDATE ON tickets_ticket
        WHEN OLD.category IS NOT NEW.category OR OLD.priority IS NOT NEW.priority
          OR OLD.status IS NOT NEW.status OR OLD.suggested_category IS NOT NEW.suggested_category
          OR OLD.category_by_human IS NOT NEW.category_by_human
        BEGIN {_decrement("OLD")} {_increment("NEW")} END""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        for statement in FORWARD:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0004_category_priority_index"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
