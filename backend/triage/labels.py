"""The label sets triage may answer with: the ticket model's choices, in their declared order.

The order matters: `PRIORITIES` runs from least to most urgent, which quadratic weighted kappa
reads as the priorities' scale. Importing `tickets.models` is cheap (no scikit-learn, no SDK), so
this module stays safe to import anywhere in triage.
"""

from tickets.models import Category, Priority

CATEGORIES: tuple[str, ...] = tuple(Category.values)
PRIORITIES: tuple[str, ...] = tuple(Priority.values)

# The two labels triage suggests; the local model has one classifier ("head") for each.
LABELS: tuple[str, ...] = ("category", "priority")
