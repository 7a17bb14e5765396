"""The keyword lists the rules provider answers from, and how a text is scored against them.

Pure Python, importing nothing from triage: the rules provider answers from them, and the local
model (`triage.classifier`) reads their counts as features, so neither depends on the other.
"""

from __future__ import annotations

import re

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

_WORD = re.compile(r"[\w'-]+")


def keyword_score(text: str, keywords: tuple[str, ...]) -> int:
    """Count keyword hits: phrases by substring, single words by whole word."""
    words = set(_WORD.findall(text))
    return sum(1 for kw in keywords if (kw in text if " " in kw else kw in words))


def keyword_counts(lowered: str) -> dict[str, int]:
    """Keyword hits per category in a lower-cased text (the local model reads them as features)."""
    return {label: keyword_score(lowered, kws) for label, kws in CATEGORY_KEYWORDS.items()}


def keyword_category(lowered: str) -> tuple[str, float] | None:
    """The category whose keywords a lower-cased text hits most (the first listed on a tie), and
    its share of all hits; None when no keyword is hit."""
    counts = keyword_counts(lowered)
    best = max(counts, key=lambda label: counts[label])
    total = sum(counts.values())
    return None if counts[best] == 0 else (best, counts[best] / total)
