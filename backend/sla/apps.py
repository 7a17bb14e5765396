from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = "Service levels (targets, business calendar, breaches)"

    def ready(self) -> None:
        # Imported here: they import models, which cannot load before the app registry.
        from core.domain_events import subscribe
        from sla.subscribers import refresh_ticket_sla
        from tickets.domain_events import TicketChanged

        subscribe(TicketChanged, refresh_ticket_sla)
