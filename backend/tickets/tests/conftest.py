from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_django import Settings

from tickets.tests.providers import FIXED, RULES, FixedProvider
from triage import chain


@pytest.fixture(autouse=True)
def _rules_triage(settings: Settings) -> None:
    """Ticket tests triage with the rules provider: real, instant and deterministic.

    The configured chain may put model-backed providers first; those are tested in
    backend/triage/. Tests that need other providers use `triage_providers` or `fixed_triage`.
    """
    settings.TRIAGE_PROVIDERS = [RULES]
    chain.reset()


@pytest.fixture
def triage_providers(settings: Settings) -> Callable[..., None]:
    """Configure the triage chain with the given provider paths for this test."""

    def use(*paths: str) -> None:
        settings.TRIAGE_PROVIDERS = list(paths)
        chain.reset()

    return use


@pytest.fixture
def fixed_triage(triage_providers: Callable[..., None]) -> type[FixedProvider]:
    """Triage always answers technical/critical (confidences 0.9/0.7) as provider "fixed"."""
    FixedProvider.seen.clear()
    triage_providers(FIXED)
    return FixedProvider
