"""Queue the breach sweep for the worker every `SLA_SWEEP_INTERVAL` seconds (scripts/serve.sh
runs this beside the worker). The sweep is idempotent: two schedulers only sweep twice."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from sla.jobs import sweep_breaches


class Command(BaseCommand):
    help = "Queue the SLA breach sweep on a schedule (--once: queue one and stop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            sweep_breaches.enqueue()
            if options["once"]:
                return
            close_old_connections()
            time.sleep(settings.SLA_SWEEP_INTERVAL)
