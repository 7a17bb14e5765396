"""The history mirrors the ticket's fields: `created_at` lost its own index there too (tickets
migration 0007). History is read by ticket and by date of change, never by creation time.

Plain SQL rather than AlterField: on SQLite AlterField would rebuild the whole history table."""

import django.utils.timezone
from django.db import migrations, models

INDEX = "audit_historicalticket_created_at_f320dcef"


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_historical_requester"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    reverse_sql=f"CREATE INDEX {INDEX} ON audit_historicalticket (created_at)",
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="historicalticket",
                    name="created_at",
                    field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
            ],
        ),
    ]
