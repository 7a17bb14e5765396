"""What the local model learns from, and the promotion guard."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from pytest_django import Settings

from accounts.access import SYSTEM
from intake.tests.helpers import file_ticket
from tickets import services
from triage import chain, classifier, store
from triage.classifier import Example, LocalPrediction, TriageModel
from triage.learning import jobs, training
from triage.providers.base import TicketText
from triage.providers.local import LocalModelProvider

pytestmark = pytest.mark.django_db

# Text the seed corpus has never seen: whatever the model says about it, it learned from us.
NOVEL = "The quarzle frobnicator flickers on the zentrix panel"


def label_tickets(category: str, priority: str, count: int) -> None:
    """People file tickets about the novel thing and choose their labels."""
    for n in range(count):
        file_ticket(
            title=f"Quarzle frobnicator {n}",
            description=f"{NOVEL} again, case {n}. Zentrix panel {n} flickers.",
            category=category,
            priority=priority,
        )


def test_only_labels_people_chose_are_learned(settings: Settings) -> None:
    file_ticket(title="Auto", description="Triage picked both labels.")
    file_ticket(
        title="Both", description="A person chose both.", category="account", priority="low"
    )
    file_ticket(title="One", description="A person chose the category.", category="billing")
    patched = file_ticket(title="Patched", description="Triage guessed, then fixed.")
    services.ticket_update(caller=SYSTEM, ticket_id=patched.pk, data={"priority": "critical"})

    examples = {example.title: example for example in training.human_examples()}

    assert set(examples) == {"Both", "One", "Patched"}
    assert (examples["Both"].category, examples["Both"].priority) == ("account", "low")
    assert (examples["One"].category, examples["One"].priority) == ("billing", None)
    assert (examples["Patched"].category, examples["Patched"].priority) == (None, "critical")
    assert all(example.weight == settings.TRIAGE_HUMAN_WEIGHT for example in examples.values())


def test_labelling_tickets_changes_what_the_model_predicts(model_dir: Path) -> None:
    provider = LocalModelProvider()
    before = provider.predict(TicketText("", NOVEL))
    taught = "account" if before.category != "account" else "billing"

    label_tickets(taught, "critical", 12)
    outcome = jobs.retrain_now()

    assert outcome.promoted
    assert outcome.examples["human"] == 12
    after = provider.predict(TicketText("", NOVEL))
    assert after.category == taught
    assert after.reason == f"local model {outcome.version}"


@pytest.fixture
def slice_guard(settings: Settings) -> None:
    """The guard judging on the held-out slice alone, as it does without cross-validation
    (`TRIAGE_GUARD_FOLDS` below 2). With it, people's labels that contradict the seed corpus are
    the organisation's convention, and the guard judges on them (see the cross-validation tests
    below)."""
    settings.TRIAGE_GUARD_FOLDS = 0


def mislabel_billing_as_general() -> list[Example]:
    """People file the seed's clear billing tickets (outside the held-out slice) three times
    each, labelled general but with the seed's priorities. Returns the held-out billing rows."""
    for example in training.seed_examples():
        if example.category == "billing" and not training.is_held_out(example):
            for _ in range(3):
                file_ticket(
                    title=example.title,
                    description=example.description,
                    category="general",
                    priority=example.priority,
                )
    return [
        example
        for example in training.seed_examples()
        if example.category == "billing" and training.is_held_out(example)
    ]


def test_a_classifier_that_scores_lower_is_not_promoted(model_dir: Path, slice_guard: None) -> None:
    """The held-out slice still holds the seed's billing examples, so the candidate's category
    classifier scores lower and the live one keeps answering; both models answer the same
    category for every held-out billing ticket."""
    before = store.load_current()
    held_out_billing = mislabel_billing_as_general()

    outcome = training.retrain()

    assert "category" not in outcome.promoted
    category = outcome.guard["category"]
    assert category["measure"] == "macro_f1"
    assert category["live"] is not None and category["candidate"] < category["live"]
    after = store.load_current()
    assert after.version == outcome.live_version
    texts = [example.text for example in held_out_billing]
    assert [p.category for p in after.model.predict_many(texts)] == [
        p.category for p in before.model.predict_many(texts)
    ]


def test_one_label_can_go_live_without_the_other(model_dir: Path, slice_guard: None) -> None:
    """Only priority is better or equal: the live model becomes a new version that answers
    category with the old classifier and priority with the new one, and records where each
    came from."""
    before = store.load_current()
    mislabel_billing_as_general()

    outcome = training.retrain()

    assert outcome.promoted == ("priority",)
    assert outcome.live_version not in {before.version, outcome.version}
    after = store.load_current()
    assert after.version == outcome.live_version
    texts = [example.text for example in training.seed_examples()[:200]]
    old, new = before.model.predict_many(texts), after.model.predict_many(texts)
    assert [p.category for p in new] == [p.category for p in old]
    assert [p.category_confidence for p in new] == [p.category_confidence for p in old]
    heads = store.read_pointer()["heads"]
    assert heads["category"]["version"] == before.version
    assert heads["priority"]["version"] == outcome.version
    assert heads["priority"]["examples"]["human"] == outcome.examples["human"] > 0


def test_a_combined_model_is_judged_by_the_halves_it_kept(
    model_dir: Path, slice_guard: None
) -> None:
    """After a priority-only promotion the combined model's guard still holds the old category
    classifier, so the next retrain compares against the same category figure as the first."""
    mislabel_billing_as_general()
    first = training.retrain()

    second = training.retrain()

    assert first.promoted == ("priority",)
    assert "category" not in second.promoted
    assert second.guard["category"]["live"] == first.guard["category"]["live"]
    assert store.read_pointer()["heads"]["category"]["version"] != second.version


def test_force_promotes_anyway(model_dir: Path) -> None:
    mislabel_billing_as_general()

    outcome = training.retrain(force=True)

    assert outcome.promoted == ("category", "priority")
    assert store.read_pointer()["version"] == outcome.version == outcome.live_version


def test_held_out_membership_is_stable_and_about_a_fifth() -> None:
    examples = [Example(f"title {n}", f"text {n}", "general", "low") for n in range(2000)]

    held = [example for example in examples if training.is_held_out(example)]

    assert 0.17 < len(held) / len(examples) < 0.23
    assert held == [example for example in examples if training.is_held_out(example)]


def test_seed_rows_with_bad_labels_are_skipped(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.csv").write_text(
        "title,description,category,priority\n"
        "Ok,Fine row,billing,low\n"
        "Bad,Unknown category,sales,low\n"
        "Bad,Unknown priority,billing,urgent\n"
        ",,billing,low\n"
    )
    settings.TRIAGE_SEED_DIR = tmp_path

    assert [example.title for example in training.seed_examples()] == ["Ok"]


def test_the_bundle_records_version_metrics_and_sources(model_dir: Path) -> None:
    label_tickets("account", "high", 3)

    outcome = training.retrain(force=True)

    meta = store.read_pointer()
    assert meta["version"] == outcome.version
    assert meta["examples"] == {"seed": len(training.seed_examples()), "human": 3}
    assert set(meta["metrics"]) >= {"held_out", "category", "priority", "score"}
    assert 0 <= meta["metrics"]["category"]["macro_f1"] <= 1
    for label in ("category", "priority"):
        assert meta["heads"][label] == {
            "version": outcome.version,
            "trained_at": meta["trained_at"],
            "examples": meta["examples"],
            "org_share": 0.0,  # 3 labels: too few for the organisation's own model
            "org_share_from": "default",
        }


def test_training_needs_a_few_examples_of_each_label(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        "title,description,category,priority\nOk,Fine row,billing,low\n"
    )
    settings.TRIAGE_SEED_DIR = tmp_path
    settings.TRIAGE_MODEL_DIR = tmp_path / "models"
    chain.reset()

    with pytest.raises(ValueError, match="too few category examples"):
        training.retrain()


class Answers:
    """A stand-in model answering from a table (text -> category), priority always right."""

    def __init__(self, category: dict[str, str], priority: dict[str, str]) -> None:
        self.category, self.priority = category, priority

    def predict_many(self, texts: Sequence[str]) -> list[LocalPrediction]:
        return [
            LocalPrediction(self.category[text], 1.0, self.priority[text], 1.0) for text in texts
        ]


def guard_slice(humans: int) -> tuple[list[Example], Answers, Answers]:
    """A held-out slice of 20 seed rows and `humans` people's rows, and two guards.

    This organisation sends refund questions to its general desk, where the seed corpus says
    billing. The live guard gets every seed row right but calls 2 of the people's rows billing;
    the candidate learned the organisation's rule and gets all people's rows right, but now
    calls 4 of the 5 seed billing rows general."""
    categories = ["billing", "technical", "account", "general"]
    priorities = ["low", "medium", "high", "critical"]
    seed = [
        Example(f"seed {n}", "text", categories[n % 4], priorities[n // 5 % 4]) for n in range(20)
    ]
    people = [
        Example(f"refund {n}", "text", "general", priorities[n % 4], weight=3, source="human")
        for n in range(humans)
    ]
    truth_priority = {e.text: str(e.priority) for e in seed + people}
    live = {e.text: str(e.category) for e in seed + people} | {
        e.text: "billing" for e in people[:2]
    }
    candidate = {e.text: str(e.category) for e in seed + people}
    for e in [e for e in seed if e.category == "billing"][:4]:
        candidate[e.text] = "general"
    return seed + people, Answers(live, truth_priority), Answers(candidate, truth_priority)


@pytest.mark.parametrize(
    ("minimum", "judged_on", "candidate_wins"), [(8, "people", True), (9, "all", False)]
)
def test_past_the_threshold_the_guard_judges_on_the_organisations_labels(
    settings: Settings, minimum: int, judged_on: str, candidate_wins: bool
) -> None:
    """8 people-labelled rows in the slice: with TRIAGE_GUARD_MIN_HUMAN=8 the candidate that fits
    the organisation's labels wins although it is worse on the seed rows; with 9 it does not."""
    settings.TRIAGE_GUARD_MIN_HUMAN = minimum
    examples, live, candidate = guard_slice(humans=8)

    live_figures = training.evaluate(live, examples)
    candidate_figures = training.evaluate(candidate, examples)

    assert candidate_figures["judged_on"]["category"] == {
        "rows": judged_on,
        "count": 8 if judged_on == "people" else 28,
    }
    assert (candidate_figures["score"] >= live_figures["score"]) is candidate_wins


@pytest.mark.parametrize(("minimum", "promoted"), [(3, True), (10_000, False)])
def test_the_guard_promotes_a_model_fitting_the_organisations_labels(
    model_dir: Path, settings: Settings, minimum: int, promoted: bool
) -> None:
    """This organisation's general desk handles billing: people label billing tickets general.
    The candidate learns that, so it does worse on the seed's billing rows. Judged on the 3
    people-labelled rows in the held-out slice it goes live; with a threshold above 3, judged
    mostly on the seed rows, it is kept out."""
    settings.TRIAGE_GUARD_MIN_HUMAN = minimum
    for example in training.seed_examples():
        if example.category == "billing" and not training.is_held_out(example):
            file_ticket(
                title=example.title,
                description=example.description,
                category="general",
                priority=example.priority,
            )
    held_out = 0
    for n in range(200):
        title = f"Refund the duplicate charge on invoice {n}"
        description = f"We were charged twice for invoice {n}; please refund the second payment."
        if held_out < 3 and training.is_held_out(Example(title, description, None, None)):
            file_ticket(title=title, description=description, category="general", priority="medium")
            held_out += 1

    outcome = training.retrain()

    assert ("category" in outcome.promoted) is promoted
    assert outcome.metrics["judged_on"]["category"]["rows"] == ("people" if promoted else "all")


def test_the_noise_margin_applies_to_people_rows_only() -> None:
    """A candidate a row or two worse on a few dozen people's labels is noise; on seed rows the
    comparison stays strict."""
    assert training.margin({"rows": "people", "count": 60}) == pytest.approx(0.0555, abs=1e-4)
    assert training.margin({"rows": "people", "count": 500}) < training.margin(
        {"rows": "people", "count": 60}
    )
    assert training.margin({"rows": "all", "count": 60}) == 0.0


def people_say_refunds_are_general(count: int) -> list[Example]:
    """`count` refund tickets labelled general, and a quarter as many sign-in ones (account)."""
    logins = [
        Example(
            f"Locked out {n}",
            f"I cannot sign in to my account since reset number {n}.",
            "account",
            "high",
            weight=3.0,
            source="human",
        )
        for n in range(count // 4)
    ]
    return logins + [
        Example(
            f"Refund the duplicate charge on invoice {n}",
            f"We were charged twice for invoice {n}; please refund the second payment.",
            "general",
            "medium",
            weight=3.0,
            source="human",
        )
        for n in range(count)
    ]


def test_an_organisations_own_model_carries_its_conventions(seed_dir: Path) -> None:
    """With 50 labels the organisation's own model gets half the say (50/(50+50)), and a text
    like its labels is answered its way more surely than by the seed model with the labels
    weighted."""
    examples = training.seed_examples(seed_dir) + people_say_refunds_are_general(40)
    blended = TriageModel.fit(examples, org_half=50)
    weighted_only = TriageModel.fit(examples, org_half=0)

    org = blended.category.org
    assert org is not None and org.labels == 50
    assert org.share == pytest.approx(0.5)
    assert weighted_only.category.org is None
    text = "Refund the duplicate charge on invoice 9999\nWe were charged twice, refund it please."
    head = blended.category
    classes = list(head.classifier.classes_)
    matrix = head.extract([text])
    seed_only = dataclasses.replace(head, org=None).predict_proba([text], matrix)[0]
    own = org.classifier.predict_proba(classifier._transform(org.features, [text]))[0]
    own_by_class = dict(zip(org.classifier.classes_, own, strict=True))
    expected = [
        0.5 * seed_only[i] + 0.5 * own_by_class.get(label, 0.0) for i, label in enumerate(classes)
    ]
    assert list(head.predict_proba([text], matrix)[0]) == pytest.approx(expected)
    assert own_by_class["general"] > 0.5
    assert "billing" not in own_by_class  # a value the organisation never used gets no share
    assert blended.predict(text).category == "general"


def test_too_few_labels_make_no_organisation_model(seed_dir: Path) -> None:
    examples = training.seed_examples(seed_dir) + people_say_refunds_are_general(15)

    model = TriageModel.fit(examples, org_half=50)

    assert model.category.org is None and model.priority.org is None


def test_the_fast_feature_path_gives_scikit_learns_numbers(seed_dir: Path) -> None:
    """`classifier._transform` skips scikit-learn's validation and block assembly for speed; the
    matrix must be the one `FeatureUnion.transform` gives, for one text and for several."""
    model = TriageModel.fit(training.seed_examples(seed_dir))
    features = model.category.features
    texts = ["cant log in!! reset link expired", "", "Invoice INV-1 charged twice\\nRefund please"]
    for batch in ([texts[0]], [texts[1]], texts):
        fast = classifier._transform(features, batch)
        slow = features.transform(batch)
        assert fast.shape == slow.shape
        assert abs(fast - slow).max() == pytest.approx(0.0, abs=1e-12)


def file_refunds_as_general(count: int) -> None:
    for example in people_say_refunds_are_general(count):
        file_ticket(
            title=example.title,
            description=example.description,
            category=example.category,
            priority=example.priority,
        )


def test_cross_validation_chooses_the_organisations_share(seed_dir: Path) -> None:
    """50 people's labels (past TRIAGE_GUARD_MIN_HUMAN): every one is predicted by a fold model
    fitted without it, and the share of the organisation's own model is the one whose
    out-of-fold macro-F1 is best."""
    people = people_say_refunds_are_general(40)

    candidate = training.fit_candidate(training.seed_examples(seed_dir) + people)

    oof = candidate.out_of_fold["category"]
    assert len(oof.rows) == 50
    assert sorted(oof.truth) == sorted(str(example.category) for example in people)
    head = candidate.bundle.meta["heads"]["category"]
    assert head["org_share_from"] == "cross-validation"
    assert head["org_share"] == oof.best_share()
    best = oof.figure(oof.best_share())
    assert all(oof.figure(share) <= best for share in training.ORG_SHARES)
    org = candidate.bundle.model.category.org
    assert org is not None and org.share == head["org_share"]
    assert candidate.bundle.guard.category.org is not None
    assert candidate.bundle.guard.category.org.share == head["org_share"]


def test_the_guard_judges_on_every_label_the_live_model_never_saw(model_dir: Path) -> None:
    """The live model learned no people's labels: all 50 are judged, not the slice's fifth.
    Once they are live, a retrain with nothing new is judged on the slice's people rows only."""
    file_refunds_as_general(40)

    first = training.retrain()

    assert first.guard["category"]["judged_on"] == {"rows": "people", "count": 50}
    assert first.guard["category"]["margin"] == pytest.approx(training.noise_margin(50), abs=1e-4)
    assert "category" in first.promoted

    second = training.retrain()

    held_out = sum(1 for e in training.human_examples() if training.is_held_out(e))
    judged = second.guard["category"]["judged_on"]
    assert judged["count"] < 50
    assert judged == (
        {"rows": "people", "count": held_out}
        if held_out >= 30
        else {"rows": "all", "count": judged["count"]}
    )


def test_the_guard_keeps_out_a_candidate_worse_on_the_unseen_labels(
    model_dir: Path, settings: Settings
) -> None:
    """Judged on the people's rows the live guard never saw, a candidate whose out-of-fold
    answers are clearly worse than the live guard's answers on the same rows stays out."""
    settings.TRIAGE_GUARD_MIN_HUMAN = 8
    people = people_say_refunds_are_general(40)
    examples = training.seed_examples() + people
    rows = [i for i, example in enumerate(examples) if example.source == "human"]
    classes = np.asarray(sorted(["account", "billing", "general", "technical"]))
    wrong = np.zeros((len(rows), 4))
    wrong[:, list(classes).index("technical")] = 1.0  # the candidate says technical to all
    oof = training.OutOfFold(
        "category", rows, [str(examples[i].category) for i in rows], classes, wrong, wrong
    )
    live = store.load_current()
    live = store.Bundle(live.model, live.guard, live.meta, {"category": frozenset()})
    fitted = training.fit_candidate(training.seed_examples())
    candidate = dataclasses.replace(fitted, examples=examples, out_of_fold={"category": oof})

    guard = training.judge(candidate, live)

    category = guard["category"]
    assert category["judged_on"] == {"rows": "people", "count": 50}
    assert category["live"] is not None
    assert category["candidate"] < category["live"] - category["margin"]
    assert guard["priority"]["judged_on"]["rows"] == "all"  # not cross-validated: the slice


def out_of_fold(rows: int, base_right: int, org_right: int) -> training.OutOfFold:
    """Category out-of-fold answers on `rows` people's rows (the four categories in turn): the
    seed-trained classifier right on the first `base_right`, the organisation's model right on
    the last `org_right`; a wrong answer is the next category. The seed-trained classifier is
    sure of its answers (1.0), the organisation's model less (0.7): where they disagree, the
    organisation's decides from share 0.65."""
    classes = np.asarray(sorted(["account", "billing", "general", "technical"]))
    truth = [str(classes[i % 4]) for i in range(rows)]
    base, org = np.zeros((rows, 4)), np.full((rows, 4), 0.1)
    for i in range(rows):
        base[i, i % 4 if i < base_right else (i + 1) % 4] = 1.0
        org[i, i % 4 if i >= rows - org_right else (i + 1) % 4] = 0.7
    return training.OutOfFold("category", list(range(rows)), truth, classes, base, org)


def test_a_share_better_only_within_noise_is_not_chosen() -> None:
    """On 50 people's rows, an organisation model two rows better than the seed-trained
    classifier (0.04 macro-F1, 18 rows on which they disagree) is noise: the share stays 0,
    though the best figure is from 0.65 up."""
    oof = out_of_fold(50, base_right=40, org_right=42)
    assert oof.figure(1.0) > oof.figure(0.0)
    assert oof.top_share() > 0.5

    assert oof.best_share() == 0.0


def test_a_share_clearly_better_is_chosen() -> None:
    """On 400 rows the same lead (80% against 90% right) is well past noise: the smallest share
    at which the organisation's model decides is chosen."""
    oof = out_of_fold(400, base_right=320, org_right=360)

    assert oof.best_share() == oof.top_share() == 0.65


@pytest.mark.parametrize("label", ["category", "priority"])
def test_the_resampled_figures_are_the_guards_figures(label: str) -> None:
    """The bootstrap scores each resample as `score` would (macro-F1 over the values present,
    quadratic weighted kappa), so the noise is measured on the figure the share is chosen by."""
    values = ["account", "billing", "general", "technical"] if label == "category" else None
    values = values or ["low", "medium", "high", "critical"]
    rng = np.random.default_rng(3)
    truth = [values[i] for i in rng.integers(0, 4, 40)]
    guess = [values[i] for i in rng.integers(0, 4, 40)]
    classes = np.asarray(sorted(values))
    base = np.asarray([[float(value == answer) for value in classes] for answer in guess])
    oof = training.OutOfFold(label, list(range(40)), truth, classes, base, base)

    figures = oof.resampled([0.0], draws=50)[:, 0]

    rows = np.random.default_rng(0).integers(0, 40, size=(50, 40))
    expected = [training.score(label, [truth[i] for i in r], [guess[i] for i in r]) for r in rows]
    assert figures == pytest.approx(expected, abs=1e-9)
    assert len(set(np.round(figures, 6))) > 10


def test_the_guard_lets_in_a_candidate_within_the_margin_and_keeps_out_one_below_it() -> None:
    judged: store.JudgedOn = {"rows": "people", "count": 50}

    def figures(candidate: float, live: float | None) -> training.GuardFigures:
        return {
            "measure": "macro_f1",
            "candidate": candidate,
            "live": live,
            "judged_on": judged,
            "margin": training.margin(judged),
        }

    assert training.margin(judged) == pytest.approx(0.0608, abs=1e-4)
    assert training.goes_live(figures(0.75, 0.80))  # 0.05 lower: within noise on 50 rows
    assert not training.goes_live(figures(0.73, 0.80))  # 0.07 lower: clearly worse
    assert training.goes_live(figures(0.10, None))  # nothing live to keep
