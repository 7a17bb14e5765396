from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Live updates (server-sent events)"

    def ready(self) -> None:
        # Imported here: they import models, which cannot load before the app registry.
        from conversations.domain_events import MessageCreated
        from core.domain_events import subscribe
        from events.subscribers import announce_breach, announce_message, announce_ticket
        from sla.domain_events import SlaBreached
        from tickets.domain_events import TicketChanged

        subscribe(TicketChanged, announce_ticket)
        subscribe(MessageCreated, announce_message)
        subscribe(SlaBreached, announce_breach)
