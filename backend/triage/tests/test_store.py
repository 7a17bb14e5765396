"""The model files: atomic promotion, pruning, and refusing what this code cannot read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triage import store
from triage.learning import training


def test_promotion_switches_the_pointer_and_keeps_only_the_last_few(model_dir: Path) -> None:
    bundle, _ = training.fit_bundle(training.seed_examples())
    stamp = store.pointer_stamp()
    for n in range(store.KEEP_FILES + 1):
        store.promote(store.Bundle(bundle.model, bundle.guard, {**bundle.meta, "version": f"v{n}"}))

    assert store.read_pointer()["version"] == f"v{store.KEEP_FILES}"
    assert store.load_current().version == f"v{store.KEEP_FILES}"
    assert store.pointer_stamp() != stamp
    assert len(list(model_dir.glob("model-*.joblib"))) == store.KEEP_FILES
    assert not list(model_dir.glob(".*.joblib.*"))  # no temporary files left behind


def test_a_model_of_another_format_is_missing(model_dir: Path) -> None:
    pointer = model_dir / store.POINTER
    meta = json.loads(pointer.read_text())
    pointer.write_text(json.dumps({**meta, "format": -1}))

    with pytest.raises(store.ModelMissing, match="format"):
        store.load_current()


def test_no_model_is_missing(empty_model_dir: Path) -> None:
    assert store.pointer_stamp() is None
    with pytest.raises(store.ModelMissing):
        store.load_current()


def test_the_training_lock_excludes_a_second_trainer(model_dir: Path) -> None:
    with (
        store.training_lock(wait=False),
        pytest.raises(store.TrainingBusy),
        store.training_lock(wait=False),
    ):
        pass
    with store.training_lock(wait=False):
        pass  # released
