from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit (append-only change history)"

    def ready(self) -> None:
        from audit import receivers  # noqa: F401 - connects the history source stamp
