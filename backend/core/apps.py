from typing import Any

from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def _create_cache_table(using: str = "default", **kwargs: Any) -> None:
    # The database cache backend (rate-limit counters when REDIS_URL is unset) needs its table:
    # creating it after every `migrate` means no deployment can forget it. Idempotent.
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core (errors, health, web app)"

    def ready(self) -> None:
        post_migrate.connect(_create_cache_table, sender=self)
