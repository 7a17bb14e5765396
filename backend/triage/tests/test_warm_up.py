"""A serving process loads its providers and the local model at start, not in a request."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import chain, store
from triage.providers.local import LocalModelProvider

pytestmark = pytest.mark.django_db


def local_provider() -> LocalModelProvider:
    return next(p for p in chain.providers() if isinstance(p, LocalModelProvider))


def test_warm_up_loads_the_live_model(model_dir: Path) -> None:
    assert local_provider().version == ""

    chain.warm_up()

    assert local_provider().version == store.read_pointer()["version"]


def test_warm_up_never_trains_a_missing_model(empty_model_dir: Path) -> None:
    chain.warm_up()

    assert local_provider().version == ""
    assert store.pointer_stamp() is None


def test_a_provider_failing_to_warm_up_is_logged_and_still_answers_later(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: LocalModelProvider) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(LocalModelProvider, "warm_up", broken)

    chain.warm_up()  # logged, not raised

    assert "triage provider local loads on first use" in caplog.text
    result = chain.classify(title="Refund", description="I was charged twice this month")
    assert result.prediction.provider == "local"
