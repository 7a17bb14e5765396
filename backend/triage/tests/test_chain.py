"""The fallback chain: order, what it records, and its bounded cache."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pytest_django import Settings

from triage import chain
from triage.providers.base import Prediction, ProviderDeclined, TicketText, TriageProvider
from triage.tests.conftest import LLM, LOCAL, RULES

COUNTING = "triage.tests.test_chain.CountingProvider"


class CountingProvider(TriageProvider):
    name = "counting"
    calls: ClassVar[list[str]] = []

    def predict(self, text: TicketText) -> Prediction:
        CountingProvider.calls.append(text.description)
        return Prediction("general", "low", 0.5, 0.5, provider=self.name)


class TimidProvider(TriageProvider):
    name = "timid"

    def predict(self, text: TicketText) -> Prediction:
        raise ProviderDeclined("not sure")


def test_without_a_key_the_llm_declines_and_the_local_model_answers(
    model_dir: Path, settings: Settings
) -> None:
    settings.OPENAI_API_KEY = ""
    settings.TRIAGE_PROVIDERS = [LLM, LOCAL, RULES]
    chain.reset()

    result = chain.classify(description="Please send me last month's invoice.")

    assert result.prediction.provider == "local"
    assert [attempt.provider for attempt in result.attempts] == ["llm", "local"]
    assert result.attempts[0].outcome == "declined: OPENAI_API_KEY is not set"
    assert result.attempts[1].outcome == "answered"
    assert all(attempt.latency_ms >= 0 for attempt in result.attempts)


def test_rules_answer_when_the_others_decline(settings: Settings) -> None:
    settings.TRIAGE_PROVIDERS = ["triage.tests.test_chain.TimidProvider", RULES]
    chain.reset()

    assert chain.classify(description="I was charged twice").prediction.provider == "rules"


def test_identical_texts_are_answered_from_the_cache(settings: Settings) -> None:
    settings.TRIAGE_PROVIDERS = [COUNTING]
    CountingProvider.calls.clear()
    chain.reset()

    first = chain.classify(title="A", description="Same text")
    second = chain.classify(title="A", description="Same text")
    other_title = chain.classify(title="B", description="Same text")

    assert (first.cached, second.cached, other_title.cached) == (False, True, False)
    assert second.prediction == first.prediction
    assert CountingProvider.calls == ["Same text", "Same text"]


def test_the_cache_is_bounded(settings: Settings) -> None:
    settings.TRIAGE_PROVIDERS = [COUNTING]
    settings.TRIAGE_CACHE_SIZE = 2
    CountingProvider.calls.clear()
    chain.reset()

    for text in ("one", "two", "three", "one"):
        chain.classify(description=text)

    assert CountingProvider.calls == ["one", "two", "three", "one"]
