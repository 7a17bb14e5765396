"""The counter table (PostgreSQL): never scanned in parallel, vacuumed after every 1,000 changes.

Each ticket written rewrites one of its few hundred rows, so the table fills with dead row
versions between vacuums. At ten million tickets, after a bulk load, it held 321 live rows in
10 MB; the planner then chose a parallel scan for the dashboard's sum, and starting the worker
cost 25 of the stats call's 33 ms (bench/RESULTS.md). A table this small never gains from
parallel workers, and autovacuum's default (20% of the rows changed, plus 50) is tuned for large
tables, not a small one rewritten on every ticket write.
"""

from django.db import migrations

from tickets.migrations._postgresql import on_postgresql

FORWARD = (
    "ALTER TABLE tickets_ticketcounter SET (parallel_workers = 0, "
    "autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, "
    "autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000)"
)
BACKWARD = (
    "ALTER TABLE tickets_ticketcounter RESET (parallel_workers, "
    "autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, "
    "autovacuum_analyze_scale_factor, autovacuum_analyze_threshold)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0013_search_indexes_per_running_status"),
    ]

    operations = [
        on_postgresql([FORWARD], [BACKWARD]),
    ]
