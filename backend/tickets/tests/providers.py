"""Triage providers for tests: fixed, recording, declining and crashing stand-ins.

Selected through `settings.TRIAGE_PROVIDERS` like real providers (see the `triage_providers`
fixture), so the real chain runs around them.
"""

from __future__ import annotations

from typing import ClassVar

from triage.providers.base import Prediction, ProviderDeclined, TicketText, TriageProvider


class FixedProvider(TriageProvider):
    """Always technical/critical, category confidence 0.9, priority confidence 0.7."""

    name = "fixed"
    seen: ClassVar[list[TicketText]] = []

    def predict(self, text: TicketText) -> Prediction:
        FixedProvider.seen.append(text)
        return Prediction("technical", "critical", 0.9, 0.7, provider=self.name, reason="test")


class DecliningProvider(TriageProvider):
    name = "declining"

    def predict(self, text: TicketText) -> Prediction:
        raise ProviderDeclined("not configured")


class CrashingProvider(TriageProvider):
    name = "crashing"

    def predict(self, text: TicketText) -> Prediction:
        raise RuntimeError("model file is corrupt")


FIXED = "tickets.tests.providers.FixedProvider"
DECLINING = "tickets.tests.providers.DecliningProvider"
CRASHING = "tickets.tests.providers.CrashingProvider"
RULES = "triage.providers.rules.RulesProvider"
