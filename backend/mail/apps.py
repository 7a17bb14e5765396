from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = "Mail (inbound, threading, outbound)"

    def ready(self) -> None:
        from mail import subscribers

        subscribers.subscribe_all()
