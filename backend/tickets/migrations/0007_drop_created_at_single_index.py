"""Drop the single-column index on `created_at`: `ticket_newest` (created_at, id) serves every
lookup by creation time, and with both the planner walked the single-column one for the list
joined to its requesters, re-sorting ties by id and reading thousands of rows for a page.

Plain SQL rather than AlterField: on SQLite AlterField rebuilds the table, which would drop the
counter triggers (migrations 0003 and 0005) with it."""

import django.utils.timezone
from django.db import migrations, models

INDEX = "tickets_ticket_created_at_95bb8d8e"


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0006_ticket_requester"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON tickets_ticket (created_at)",
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="ticket",
                    name="created_at",
                    field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
            ],
        ),
    ]
