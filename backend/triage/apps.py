from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = "Triage"

    def ready(self) -> None:
        # Imported here: they import models, which cannot load before the app registry.
        from core.domain_events import subscribe
        from tickets.domain_events import TicketChanged
        from triage.subscribers import count_human_labels

        subscribe(TicketChanged, count_human_labels)
