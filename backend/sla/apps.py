from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = "Service levels (targets, business calendar, breaches)"

    def ready(self) -> None:
        # Imported here: they import models, which cannot load before the app registry.
        from django.db.models.signals import post_delete, post_save, pre_save

        from core.domain_events import subscribe
        from sla.calendars import forget_rules
        from sla.models import BusinessCalendar, SlaPolicy
        from sla.subscribers import refresh_ticket_sla, start_ticket_sla
        from tickets.domain_events import TicketChanged
        from tickets.models import Ticket

        subscribe(TicketChanged, refresh_ticket_sla)
        pre_save.connect(start_ticket_sla, sender=Ticket, dispatch_uid="sla.start_ticket_sla")
        for model in (SlaPolicy, BusinessCalendar):
            for signal in (post_save, post_delete):
                signal.connect(forget_rules, sender=model, dispatch_uid=f"sla.forget_rules.{model}")
