from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _register_casefold(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give SQLite a Unicode-aware `casefold()`: its own LIKE and lower() fold ASCII only."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "casefold",
            1,
            lambda text: None if text is None else text.casefold(),
            deterministic=True,
        )


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        connection_created.connect(_register_casefold, dispatch_uid="tickets.sqlite_casefold")
