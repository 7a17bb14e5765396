"""The label sets triage may answer with. They mirror the ticket model's choices."""

CATEGORIES: tuple[str, ...] = ("billing", "technical", "account", "general")
PRIORITIES: tuple[str, ...] = ("low", "medium", "high", "critical")

# The two labels triage suggests; the local model has one classifier ("head") for each.
LABELS: tuple[str, ...] = ("category", "priority")
