"""The last-resort provider: keyword rules. Pure Python, no state, cannot fail.

It is deliberately simple and transparent: it exists so a ticket always gets a sensible label
even when the model file is missing and no LLM is configured.
"""

from __future__ import annotations

import re

from triage.providers.base import Prediction, TicketText, TriageProvider

CATEGORY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "billing": (
        "invoice",
        "charge",
        "charged",
        "refund",
        "payment",
        "paid",
        "bill",
        "billing",
        "fee",
        "subscription",
        "price",
        "pricing",
        "receipt",
        "credit card",
        "debit",
        "vat",
        "tax",
        "overcharged",
        "double charged",
        "money",
        "transaction",
        "plan",
        "upgrade",
        "downgrade",
    ),
    "technical": (
        "error",
        "bug",
        "crash",
        "crashes",
        "broken",
        "not working",
        "doesn't work",
        "does not work",
        "fails",
        "failed",
        "failing",
        "outage",
        "down",
        "slow",
        "timeout",
        "500",
        "api",
        "sync",
        "install",
        "server",
        "app",
        "integration",
        "webhook",
        "declined",
        "loading",
        "freeze",
    ),
    "account": (
        "login",
        "log in",
        "password",
        "sign in",
        "signin",
        "2fa",
        "mfa",
        "two-factor",
        "locked",
        "account",
        "username",
        "email address",
        "verify",
        "verification",
        "identity",
        "pin",
        "passcode",
        "profile",
        "delete my account",
        "close my account",
        "permissions",
        "sso",
        "stolen",
        "lost my",
    ),
}

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

_WORD = re.compile(r"[\w'-]+")


def _score(text: str, keywords: tuple[str, ...]) -> int:
    """Count keyword hits: phrases by substring, single words by whole word."""
    words = set(_WORD.findall(text))
    return sum(1 for kw in keywords if (kw in text if " " in kw else kw in words))


def keyword_counts(lowered: str) -> dict[str, int]:
    """Keyword hits per category in a lower-cased text (the local model reads them as features)."""
    return {label: _score(lowered, kws) for label, kws in CATEGORY_KEYWORDS.items()}


class RulesProvider(TriageProvider):
    name = "rules"

    def predict(self, text: TicketText) -> Prediction:
        lowered = text.joined().lower()
        scores = keyword_counts(lowered)
        best = max(scores, key=lambda label: scores[label])
        total = sum(scores.values())
        if scores[best] == 0:
            category, category_conf = "general", 0.4
        else:
            category, category_conf = best, round(0.4 + 0.5 * scores[best] / total, 2)

        priority, priority_conf = "medium", 0.4
        for label, cues in PRIORITY_CUES:
            if _score(lowered, cues):
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
