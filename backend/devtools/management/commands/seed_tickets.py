"""`manage.py seed_tickets --count N`: load realistic synthetic tickets in bulk.

`--demo` loads a small set for a first look, and only into an empty database, so `make seed` is
safe to run twice. On PostgreSQL the rows go through COPY (see devtools.seeding.writer).
"""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from devtools.seeding import writer
from tickets.models import Ticket

DEMO_COUNT = 400
DEMO_DAYS = 45


class Command(BaseCommand):
    help = "Load realistic synthetic tickets spread over the past year (COPY on PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, help="How many tickets to add.")
        parser.add_argument(
            "--demo",
            action="store_true",
            help=f"Load {DEMO_COUNT} tickets from the last {DEMO_DAYS} days for a first look, "
            "only if there are none yet.",
        )
        parser.add_argument(
            "--days", type=int, default=365, help="Spread tickets over this many days (365)."
        )
        parser.add_argument("--truncate", action="store_true", help="Delete every ticket first.")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--requesters",
            type=int,
            default=0,
            help="Spread the tickets over N requester accounts (created if missing, with no "
            "usable password). Without it tickets have no requester.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int | None = options["count"]
        truncate: bool = options["truncate"]
        days: int = options["days"]
        if options["demo"]:
            days = DEMO_DAYS
            if not truncate and Ticket.objects.exists():
                self.stdout.write("Tickets already exist: demo data not loaded.")
                return
            count = count or DEMO_COUNT
        if count is None or count < 1:
            raise CommandError("Give --count N (N >= 1) or --demo.")
        if days < 1:
            raise CommandError("--days must be at least 1.")
        requesters: int = options["requesters"]
        if requesters < 0:
            raise CommandError("--requesters must be at least 0.")

        # rich needs the raw stream: Django's wrapper appends a newline to every write.
        console = Console(file=cast("IO[str]", self.stdout._out))
        columns = (
            TextColumn("[bold]seeding"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task("seeding", total=count, rate="")

            def advance(rows: int) -> None:
                progress.advance(task, rows)
                elapsed = progress.tasks[0].elapsed or 0.0
                done = progress.tasks[0].completed
                if elapsed > 0:
                    progress.update(task, rate=f"{done / elapsed:,.0f} tickets/s")

            report = writer.seed(
                count=count,
                seed=options["seed"],
                truncate=truncate,
                progress=advance,
                days=days,
                requesters=requesters,
            )
        spread = (
            f" over {report.requesters:,} requesters ({report.requesters_seconds:.1f} s)"
            if report.requesters
            else ""
        )
        self.stdout.write(
            f"Added {report.count:,} tickets{spread} in {report.total_seconds:.1f} s "
            f"({report.count / report.total_seconds:,.0f} tickets/s): rows "
            f"{report.rows_seconds:.1f} s ({report.count / report.rows_seconds:,.0f}/s), "
            f"indexes {report.index_seconds:.1f} s"
            f"{' (rebuilt)' if report.rebuilt_indexes else ''}, "
            f"analyze {report.analyze_seconds:.1f} s."
        )
