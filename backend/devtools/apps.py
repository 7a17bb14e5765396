from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Benchmark and demo tooling (`seed_tickets`): an outer app that may import tickets; no
    product app imports it."""

    name = "devtools"
    verbose_name = "Developer tools (seeding)"
