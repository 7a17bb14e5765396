"""Delete expired Idempotency-Key records (run it daily from cron or a scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than IDEMPOTENCY_KEY_TTL."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        if options["verbosity"] > 0:
            self.stdout.write(f"Deleted {deleted} expired idempotency key(s).")
