"""`manage.py rebuild_ticket_counters`: recount the counters from the tickets.

The triggers keep the counters exact on every write; this is for the cases they cannot see: a
partial restore of one table, or someone editing the counters by hand. Writers wait (PostgreSQL
SHARE lock) while the recount runs, so the result is exact when it commits.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Sum

from tickets.models import Ticket, TicketCounter

RECOUNT = f"""
INSERT INTO {TicketCounter._meta.db_table}
    (category, priority, status, suggested_category, category_by_human, tickets)
SELECT category, priority, status, COALESCE(suggested_category, ''), category_by_human, count(*)
FROM {Ticket._meta.db_table}
GROUP BY 1, 2, 3, 4, 5
"""


class Command(BaseCommand):
    help = "Recount the ticket counters (stats, X-Total-Count) from the tickets table."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {Ticket._meta.db_table} IN SHARE MODE")
            TicketCounter.objects.all().delete()
            cursor.execute(RECOUNT)
        total = TicketCounter.objects.aggregate(n=Sum("tickets", default=0))["n"]
        rows = TicketCounter.objects.count()
        self.stdout.write(f"Counted {total:,} tickets in {rows} label combinations.")
