from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "routing"
    verbose_name = "Routing (teams and assignment)"

    def ready(self) -> None:
        # Imported here: they import models, which cannot load before the app registry.
        from core.domain_events import subscribe
        from routing.subscribers import reroute_on_category
        from tickets.domain_events import TicketUpdated

        subscribe(TicketUpdated, reroute_on_category)
