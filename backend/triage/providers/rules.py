"""The last-resort provider: keyword rules. Pure Python, no state, cannot fail.

It is deliberately simple and transparent: it exists so a ticket always gets a sensible label
even when the model file is missing and no LLM is configured.
"""

from __future__ import annotations

from triage.keywords import keyword_category, keyword_score
from triage.providers.base import Prediction, TicketText, TriageProvider

PRIORITY_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "critical",
        (
            "outage",
            "all users",
            "everyone",
            "production down",
            "data loss",
            "lost data",
            "security breach",
            "breach",
            "hacked",
            "fraud",
            "compromised",
            "urgent",
            "asap",
            "emergency",
            "critical",
            "cannot access anything",
            "site is down",
            "system down",
        ),
    ),
    (
        "high",
        (
            "cannot",
            "can't",
            "unable",
            "blocked",
            "not working",
            "failed",
            "error",
            "deadline",
            "immediately",
            "important",
            "locked out",
            "charged twice",
            "double charged",
            "stolen",
        ),
    ),
    (
        "low",
        (
            "question",
            "wondering",
            "how do i",
            "how can i",
            "feature request",
            "suggestion",
            "would be nice",
            "feedback",
            "curious",
            "when you get a chance",
            "no rush",
            "typo",
        ),
    ),
)


class RulesProvider(TriageProvider):
    name = "rules"

    def predict(self, text: TicketText) -> Prediction:
        lowered = text.joined().lower()
        hit = keyword_category(lowered)
        if hit is None:
            category, category_conf = "general", 0.4
        else:
            category, category_conf = hit[0], round(0.4 + 0.5 * hit[1], 2)

        priority, priority_conf = "medium", 0.4
        for label, cues in PRIORITY_CUES:
            if keyword_score(lowered, cues):
                priority, priority_conf = label, 0.55
                break
        return Prediction(
            category=category,
            priority=priority,
            category_confidence=category_conf,
            priority_confidence=priority_conf,
            provider=self.name,
            reason="keyword rules",
        )
