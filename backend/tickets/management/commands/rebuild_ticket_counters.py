"""`manage.py rebuild_ticket_counters`: recount the counters from the tickets (see
`tickets.counters.rebuild`): after a partial restore, or counters edited by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tickets import counters


class Command(BaseCommand):
    help = "Recount the ticket counters (stats, X-Total-Count) from the tickets table."

    def handle(self, *args: Any, **options: Any) -> None:
        total, rows = counters.rebuild()
        self.stdout.write(f"Counted {total:,} tickets in {rows} label combinations.")
