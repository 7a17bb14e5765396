"""PostgreSQL: the team and assignee keys (0008) checked at once, like the requester's (0006).

Django makes foreign keys DEFERRABLE INITIALLY DEFERRED: each inserted ticket then leaves a
pending check until commit, and PostgreSQL refuses CREATE INDEX and TRUNCATE on a table with
pending trigger events in the same transaction, which the seeder does (`seed_tickets`)."""

from django.db import migrations


def immediate_fks(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'tickets_ticket'::regclass "
            "AND contype = 'f' AND condeferrable"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE tickets_ticket ALTER CONSTRAINT "{name}" NOT DEFERRABLE')


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0009_ticket_assignment_indexes"),
    ]

    operations = [
        migrations.RunPython(immediate_fks, migrations.RunPython.noop),
    ]
