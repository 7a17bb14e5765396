"""Give tickets filed before service levels existed their targets, in batches."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sla.services import ticket_sla_backfill


class Command(BaseCommand):
    help = "Compute SLA targets for tickets without them (--all: recompute every ticket)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--all", action="store_true", help="recompute every ticket (after a policy change)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = ticket_sla_backfill(batch_size=options["batch_size"], everything=options["all"])
        self.stdout.write(f"SLA targets written for {written} tickets.")
