"""The local model provider: answers offline, trains on first use, picks up new models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from pytest_django import Settings
from rest_framework.test import APIClient
from scipy.special import softmax

from triage import chain, classifier, store
from triage.keywords import keyword_category
from triage.labels import CATEGORIES, PRIORITIES
from triage.learning import training
from triage.providers.base import ProviderDeclined, TicketText
from triage.providers.local import LocalModelProvider

CLASSIFY = "/api/tickets/classify/"


def test_classify_answers_from_the_local_model_without_a_key(
    api: APIClient, model_dir: Path
) -> None:
    response = api.post(
        CLASSIFY,
        {"description": "I was charged twice for my subscription, please refund one payment."},
        format="json",
    )

    body = response.json()
    assert response.status_code == 200
    assert body["provider"] == "local"
    assert body["suggested_category"] == "billing"
    assert body["suggested_priority"] in PRIORITIES
    assert 0 < body["confidence"]["category"] <= 1
    assert 0 < body["confidence"]["priority"] <= 1


@pytest.mark.django_db
def test_a_fresh_install_trains_on_first_use(empty_model_dir: Path) -> None:
    prediction = LocalModelProvider().predict(TicketText("", "My invoice is wrong."))

    assert prediction.category in CATEGORIES
    meta = json.loads((empty_model_dir / store.POINTER).read_text())
    assert prediction.reason == f"local model {meta['version']}"
    assert meta["examples"]["seed"] > 0


def test_declines_while_another_process_trains_the_first_model(empty_model_dir: Path) -> None:
    with store.training_lock(wait=False), pytest.raises(ProviderDeclined, match="being trained"):
        LocalModelProvider().predict(TicketText("", "My invoice is wrong."))


def test_a_model_promoted_elsewhere_answers_even_texts_asked_before(model_dir: Path) -> None:
    text = "My invoice is wrong."
    first = chain.classify(description=text)
    assert chain.classify(description=text).cached

    # Another process (the worker) promotes a new model.
    bundle, _ = training.fit_bundle(training.seed_examples())
    store.promote(bundle)

    # The cache is keyed on the live model too: no stale answer from the previous one.
    again = chain.classify(description=text)
    assert not again.cached
    assert again.prediction.reason == f"local model {bundle.version}"
    assert first.prediction.reason != again.prediction.reason
    assert chain.classify(description=text).cached


def test_answers_under_the_confidence_threshold_are_declined(
    model_dir: Path, settings: Settings
) -> None:
    settings.TRIAGE_LOCAL_MIN_CONFIDENCE = 1.0

    with pytest.raises(ProviderDeclined, match="under threshold"):
        LocalModelProvider().predict(TicketText("", "Hello"))


@pytest.mark.django_db
def test_an_unreadable_model_is_retrained(model_dir: Path) -> None:
    meta = store.read_pointer()
    (model_dir / meta["file"]).write_bytes(b"not a pickle")

    prediction = LocalModelProvider().predict(TicketText("", "My invoice is wrong."))

    assert prediction.reason != f"local model {meta['version']}"


def test_the_fast_prediction_path_matches_scikit_learns_own(model_dir: Path) -> None:
    """Features and probabilities are computed without scikit-learn's per-call wrappers; they
    must equal what `FeatureUnion.transform` and `LinearSVC.decision_function` give."""
    model = store.load_current().model
    texts = [example.text for example in training.seed_examples()[::50]]
    for head in (model.category, model.priority):
        ours = head.extract(texts)
        theirs = head.features.transform(texts)
        assert ours.shape == theirs.shape
        assert abs(ours - theirs).max() < 1e-12
        if head.cues is not None:
            ours = sp.hstack([ours, head.cues.transform(texts)], format="csr")
        classifier = head.classifier
        expected = softmax(classifier.svc_.decision_function(ours) * classifier.scale_, axis=1)
        assert np.allclose(classifier.predict_proba(ours), expected, atol=1e-12)


def test_priority_is_the_one_nearest_the_expected_rank_not_the_likeliest() -> None:
    """Split between low and critical, the answer is in between, not the slightly likelier end;
    a clear answer stays what it is."""
    classes = np.asarray(["critical", "high", "low", "medium"])  # the classifier's order
    ranks = classifier.priority_ranks(classes)

    split = np.asarray([0.45, 0.05, 0.5, 0.0])  # critical 0.45, low 0.5
    clear = np.asarray([0.05, 0.85, 0.0, 0.1])

    assert list(ranks) == [PRIORITIES.index(str(label)) for label in classes]
    assert classes[classifier.ordinal_choice(split, ranks)] in ("medium", "high")
    assert classes[int(np.argmax(split))] == "low"
    assert classes[classifier.ordinal_choice(clear, ranks)] == "high"


def test_the_served_priority_is_the_expected_rank_and_the_guard_judges_the_likeliest(
    model_dir: Path,
) -> None:
    model = store.load_current().model
    texts = [example.text for example in training.seed_examples()[::40]]
    with_proba = model.priority.predict_proba(texts, model.priority.extract(texts))
    ranks = classifier.priority_ranks(model.priority.classifier.classes_)

    answers = [p.priority for p in model.predict_many(texts, served=True)]

    assert answers == [
        str(model.priority.classifier.classes_[classifier.ordinal_choice(row, ranks)])
        for row in with_proba
    ]
    assert [p.priority for p in model.predict_many(texts)] == [
        str(model.priority.classifier.classes_[int(np.argmax(row))]) for row in with_proba
    ]


def test_an_unsure_model_without_organisation_labels_takes_the_keyword_category(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = store.load_current().model
    texts = [example.text for example in training.seed_examples()[::40]]
    proba = model.category.predict_proba(texts, model.category.extract(texts))
    classes = model.category.classifier.classes_
    likeliest = [str(classes[int(np.argmax(row))]) for row in proba]
    hits = [keyword_category(text.lower()) for text in texts]
    assert any(hit is not None and hit[0] != own for hit, own in zip(hits, likeliest, strict=True))

    monkeypatch.setattr(classifier, "KEYWORDS_BELOW", 1.01)  # always unsure
    unsure = [p.category for p in model.predict_many(texts, served=True)]
    guarded = [p.category for p in model.predict_many(texts)]  # what the promotion guard judges
    monkeypatch.setattr(classifier, "KEYWORDS_BELOW", 0.0)  # never unsure
    sure = [p.category for p in model.predict_many(texts, served=True)]

    expected = [own if hit is None else hit[0] for hit, own in zip(hits, likeliest, strict=True)]
    assert unsure == expected
    assert sure == guarded == likeliest


def test_the_local_provider_serves_the_decided_answer(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(classifier, "KEYWORDS_BELOW", 1.01)  # always unsure: the keywords decide
    text = TicketText("", "The app shows an error when I open my invoice")
    model = store.load_current().model

    prediction = LocalModelProvider().predict(text)

    served = model.predict(text.joined(), served=True)
    assert (prediction.category, prediction.priority) == (served.category, served.priority)
    hit = keyword_category(text.joined().lower())
    assert hit is not None and prediction.category == hit[0] == "technical"
