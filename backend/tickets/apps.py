from django.apps import AppConfig
from django.db.backends.signals import connection_created


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        # Imported here: it imports the models, which cannot load before the app registry.
        from tickets.search import register_sqlite_casefold

        connection_created.connect(register_sqlite_casefold, dispatch_uid="tickets.sqlite_casefold")
