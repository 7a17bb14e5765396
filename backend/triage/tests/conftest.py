"""Fixtures for the triage engine's tests.

A small slice of the seed corpus is trained once per session (well under a second) and each
test that needs a model gets a private copy of that model directory, so retraining in one test
never leaks into another. The stand-in OpenAI server is started once per session and re-scripted
per test.
"""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from pytest_django import Settings

from triage import chain, store
from triage.learning import training
from triage.tests.fake_openai import FakeOpenAI

LLM = "triage.providers.llm.LLMProvider"
LOCAL = "triage.providers.local.LocalModelProvider"
RULES = "triage.providers.rules.RulesProvider"
PER_LABEL_PAIR = 8  # rows per (category, priority) pair in the test corpus


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A balanced slice of the real seed corpus: every (category, priority) pair represented."""
    rows: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for path in sorted(Path(django_settings.TRIAGE_SEED_DIR).glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                bucket = rows[(row["category"], row["priority"])]
                if len(bucket) < PER_LABEL_PAIR:
                    bucket.append(row)
    directory = tmp_path_factory.mktemp("seed")
    with (directory / "seed.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["title", "description", "category", "priority"])
        writer.writeheader()
        for bucket in rows.values():
            writer.writerows(
                {key: row[key] for key in ("title", "description", "category", "priority")}
                for row in bucket
            )
    return directory


@pytest.fixture(scope="session")
def trained_dir(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Path:
    """A model directory holding a live model trained on `seed_dir` (no database involved)."""
    directory = tmp_path_factory.mktemp("models")
    with override_settings(TRIAGE_MODEL_DIR=directory, TRIAGE_SEED_DIR=seed_dir):
        bundle, _ = training.fit_bundle(training.seed_examples())
        store.promote(bundle)
    return directory


@pytest.fixture
def model_dir(settings: Settings, tmp_path: Path, seed_dir: Path, trained_dir: Path) -> Path:
    """This test's own copy of the trained model, with settings pointing at it."""
    directory = tmp_path / "models"
    shutil.copytree(trained_dir, directory)
    settings.TRIAGE_MODEL_DIR = directory
    settings.TRIAGE_SEED_DIR = seed_dir
    settings.TRIAGE_PROVIDERS = [LOCAL, RULES]
    chain.reset()
    return directory


@pytest.fixture
def empty_model_dir(settings: Settings, tmp_path: Path, seed_dir: Path) -> Path:
    """No model on disk yet (a fresh install)."""
    settings.TRIAGE_MODEL_DIR = tmp_path / "models"
    settings.TRIAGE_SEED_DIR = seed_dir
    settings.TRIAGE_PROVIDERS = [LOCAL, RULES]
    chain.reset()
    return tmp_path / "models"


@pytest.fixture(scope="session")
def openai_server() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def fake_openai(openai_server: FakeOpenAI, settings: Settings, model_dir: Path) -> FakeOpenAI:
    """The LLM first (pointed at the stand-in server, 1 s budget), then the local model, then
    rules. The server answers a valid billing/high unless the test scripts otherwise."""
    openai_server.reset()
    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = openai_server.base_url
    settings.OPENAI_MODEL = "test-model"
    settings.OPENAI_TIMEOUT = 1.0
    settings.TRIAGE_LLM_FEW_SHOT = 4
    settings.TRIAGE_PROVIDERS = [LLM, LOCAL, RULES]
    chain.reset()
    return openai_server
