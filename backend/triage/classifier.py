"""The local model: text features shared by two linear classifiers, one per label.

Pure machine learning (from the rest of the product it takes only the label sets):
`triage.learning.training` decides what it learns from and whether a fitted model may replace the
current one, `triage.store` keeps it on disk. The recipe
(TF-IDF over word and character n-grams, linear SVMs with scaled probabilities, urgency cues for
priority) was chosen by cross-validation on the seed corpus; `bench/TRIAGE.md` has the figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import sklearn
from scipy.optimize import minimize_scalar
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from triage.keywords import keyword_category, keyword_counts
from triage.labels import CATEGORIES, LABELS, PRIORITIES


@dataclass(frozen=True)
class Example:
    """One training row. A label is None when no person chose it: the model never learns it."""

    title: str
    description: str
    category: str | None
    priority: str | None
    weight: float = 1.0
    source: str = "seed"

    @property
    def text(self) -> str:
        return join_text(self.title, self.description)


@dataclass(frozen=True)
class LocalPrediction:
    category: str
    category_confidence: float
    priority: str
    priority_confidence: float


def join_text(title: str, description: str) -> str:
    return f"{title}\n{description}".strip()


# Cues a support lead reads priority from: who and how much is affected (outage, everyone),
# irreversible harm (data loss, security, money), time pressure, being blocked, and the opposite
# signals of a question or a wish. Word n-grams see these too, but only where the seed corpus
# happens to use the same words; grouping them lets one example teach the whole group.
_CUE_GROUPS: tuple[str, ...] = (
    # Breadth: how many people or how much of the service is affected.
    "outage|down for everyone|everyone|all users|all our users|all customers|whole team"
    "|entire team|whole company|entire company|production|prod|site is down|is down|nobody can"
    "|no one can|company-wide|all of our",
    # Irreversible harm: data, security, fraud.
    "data loss|lost data|lost all|deleted|wiped|corrupted|breach|hacked|compromised"
    "|unauthorized|unauthorised|fraud|fraudulent|stolen|phishing|leak|leaked|security"
    "|vulnerability|ransomware|malware",
    # Money at stake.
    "charged twice|double charged|overcharged|payroll|salaries|revenue|losing money|lost sales"
    "|chargeback|can't pay|cannot pay|payments failing",
    # Stated urgency.
    "urgent|urgently|asap|immediately|right now|emergency|critical|as soon as possible|escalate"
    "|top priority|severe|serious|significant",
    # Deadlines.
    "deadline|today|tonight|tomorrow|end of day|eod|this morning|within the hour|by friday"
    "|before monday|due|expires|launch",
    # Blocked from working.
    "cannot|can't|cant|unable|blocked|locked out|not working|doesn't work|does not work"
    "|stopped working|fails|failed|failing|error|crash|crashes|broken|disrupt|disrupting"
    "|disruption",
    # The opposite: a question, a wish, a nicety.
    "question|wondering|how do i|how can i|is it possible|feature request|suggestion"
    "|would be nice|feedback|curious|no rush|whenever|when you get a chance|just wanted"
    "|not urgent|typo|minor|cosmetic|information|advice|guidance|could you explain|inquiry"
    "|enquiry",
)
_CUE_PATTERNS = tuple(
    re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in group.split("|")) + r")\b")
    for group in _CUE_GROUPS
)
_UPPER_WORD = re.compile(r"\b[A-Z]{3,}\b")
_WORDS = re.compile(r"\w+")


# scikit-learn ships no type hints, so its base classes are Any to mypy, which strict mode refuses
# to subclass; `unused-ignore` keeps the default (non-strict) run quiet about the ignore.
class UrgencyCues(TransformerMixin, BaseEstimator):  # type: ignore[misc, unused-ignore]
    """Stateless: a few dense counts per text (cue groups, '!', '?', shouting, length)."""

    def fit(self, texts: Sequence[str], y: object = None) -> UrgencyCues:
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        rows = []
        for text in texts:
            lowered = text.lower()
            words = max(len(_WORDS.findall(text)), 1)
            row = [math.log1p(len(pattern.findall(lowered))) for pattern in _CUE_PATTERNS]
            row += [
                math.log1p(text.count("!")),
                math.log1p(text.count("?")),
                math.log1p(len(_UPPER_WORD.findall(text))),
                math.log1p(words) / 5,
            ]
            rows.append(row)
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64))


class KeywordCues(TransformerMixin, BaseEstimator):  # type: ignore[misc, unused-ignore]
    """Stateless: per category, how many of the keyword rules' words and phrases the text holds
    (log-scaled), the rules provider's evidence as four features of the category classifier.

    Word n-grams learn only the words the seed corpus happens to use; a customer who writes
    "premium", "direct debit" or "locked out" in a register the corpus lacks still hits the
    rules' lists. As features, the classifier learns from the seed rows how far to trust each
    list, instead of the chain trusting rules only when the model declines.
    """

    def fit(self, texts: Sequence[str], y: object = None) -> KeywordCues:
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        rows = [
            [math.log1p(count) for count in keyword_counts(text.lower()).values()] for text in texts
        ]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64))


def text_features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    min_df=2,
                    max_df=0.9,
                    strip_accents="unicode",
                ),
            ),
            # Character n-grams inside word boundaries survive typos, plurals and run-together
            # words ("cant login", "logins") that word features miss.
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                    strip_accents="unicode",
                ),
            ),
        ]
    )


class ScaledLinearSVC(ClassifierMixin, BaseEstimator):  # type: ignore[misc, unused-ignore]
    """A linear SVM whose margins become probabilities through a softmax with one fitted scale
    (temperature scaling, Guo et al. 2017).

    Why not `CalibratedClassifierCV`: it ranks the same, but its per-class calibrators cost
    milliseconds per prediction; here a prediction is one sparse dot product and a softmax.
    The scale is fitted on out-of-fold margins, so the confidence is not the training-set
    overconfidence of a model that has seen the ticket.
    """

    def __init__(self, C: float = 0.3, folds: int = 3) -> None:
        self.C = C
        self.folds = folds

    def fit(
        self, X: sp.csr_matrix, y: Sequence[str], sample_weight: np.ndarray | None = None
    ) -> ScaledLinearSVC:
        labels = np.asarray(y)
        self.svc_ = LinearSVC(C=self.C).fit(X, labels, sample_weight=sample_weight)
        self.classes_ = self.svc_.classes_
        margins = cross_val_predict(
            LinearSVC(C=self.C),
            X,
            labels,
            cv=StratifiedKFold(self.folds, shuffle=True, random_state=0),
            method="decision_function",
            params={"sample_weight": sample_weight} if sample_weight is not None else None,
        )
        truth = np.searchsorted(self.classes_, labels)
        weights = np.ones(len(labels)) if sample_weight is None else np.asarray(sample_weight)

        def loss(log_scale: float) -> float:
            proba = softmax(margins * math.exp(log_scale), axis=1)
            picked = np.clip(proba[np.arange(len(truth)), truth], 1e-12, 1.0)
            return float(-(weights * np.log(picked)).sum() / weights.sum())

        self.scale_ = math.exp(minimize_scalar(loss, bounds=(-3.0, 4.0), method="bounded").x)
        return self

    def predict_proba(self, X: sp.csr_matrix) -> np.ndarray:
        # The one-vs-rest margins `decision_function` gives, without its input validation, which
        # costs ten times the product itself for one ticket.
        margins = X @ self.svc_.coef_.T + self.svc_.intercept_
        proba: np.ndarray = softmax(np.asarray(margins) * self.scale_, axis=1)
        return proba


# Below this category confidence, a model with no organisation's labels yet answers the category
# the keyword rules point to, when they point to one. The seed-trained classifier is confident on
# text like the seed corpus; on words it has not seen (another industry, real customers) its
# confidence drops and the keyword lists are the better guess. Chosen on the out-of-style checks
# (`bench/triage_register_out.py`: the public rows held out, and the seed registers), never on
# an evaluation set. Once an organisation's own model is blended in, its labels decide instead.
KEYWORDS_BELOW = 0.6

# An organisation's own model is fitted once it has this many labels for a field, of at least
# two different values: fewer make a model that says more about chance than about the team.
ORG_MIN_LABELS = 20


def org_features() -> FeatureUnion:
    """Text features fitted on an organisation's own tickets only: every term counts (min_df=1),
    because a few hundred tickets hold the team's vocabulary once or twice."""
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, strip_accents="unicode"),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    strip_accents="unicode",
                ),
            ),
        ]
    )


def fit_text_features(texts: Sequence[str]) -> FeatureUnion:
    features = text_features().fit(texts)
    for _, vectorizer in features.transformer_list:
        # The terms dropped by min_df/max_df, kept only for introspection: most of the file.
        vectorizer.stop_words_ = None
    return features


def _tfidf(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """`vectorizer.transform(texts)` for our fitted vectorizers (sublinear tf, idf, l2 norm),
    the same numbers without the input validation scikit-learn runs on its own count matrix:
    for one ticket that validation cost more than the counting."""
    tfidf = vectorizer._tfidf
    if tfidf.norm != "l2":
        general: sp.csr_matrix = vectorizer.transform(texts)
        return general
    counts = CountVectorizer.transform(vectorizer, texts).astype(np.float64)
    if tfidf.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if tfidf.use_idf:
        counts.data *= tfidf.idf_[counts.indices]
    lengths = np.diff(counts.indptr)
    row_of = np.repeat(np.arange(counts.shape[0]), lengths)
    norms = np.sqrt(np.bincount(row_of, weights=counts.data**2, minlength=counts.shape[0]))
    norms[norms == 0] = 1.0
    counts.data /= np.repeat(norms, lengths)
    return sp.csr_matrix(counts)


def _hstack(blocks: Sequence[sp.csr_matrix]) -> sp.csr_matrix:
    """`sp.hstack(blocks, format="csr")` for CSR blocks with the same rows, built directly:
    scipy's general block assembly costs a millisecond for a one-row matrix."""
    if len(blocks) == 1:
        return blocks[0]
    rows = blocks[0].shape[0]
    if rows != 1:
        stacked: sp.csr_matrix = sp.hstack(blocks, format="csr")
        return stacked
    offsets = np.cumsum([0] + [block.shape[1] for block in blocks[:-1]])
    data = np.concatenate([block.data for block in blocks])
    indices = np.concatenate(
        [
            block.indices.astype(np.int64) + offset
            for block, offset in zip(blocks, offsets, strict=True)
        ]
    )
    width = int(sum(block.shape[1] for block in blocks))
    return sp.csr_matrix((data, indices, np.array([0, len(data)])), shape=(1, width))


def _transform(features: FeatureUnion, texts: Sequence[str]) -> sp.csr_matrix:
    """`features.transform(texts)`, calling each vectorizer directly: `FeatureUnion` runs
    them through joblib, whose set-up costs more than the work for a single ticket."""
    return _hstack([_tfidf(vectorizer, texts) for _, vectorizer in features.transformer_list])


@dataclass(frozen=True)
class OrgHead:
    """A model of one organisation's own labels for one field, trained on them alone.

    Its probabilities are blended with the seed-trained classifier's, with the share
    `labels / (labels + half)`: at `half` labels the two count equally, and the organisation's
    own model takes over as its labels accumulate. The seed model still answers labels the
    organisation never used, and carries the first days; 2,500 seed rows can no longer outvote
    a team's few hundred labels about the team's own conventions.
    """

    features: FeatureUnion
    classifier: LogisticRegression
    share: float
    labels: int

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], half: float) -> OrgHead | None:
        """None when there are too few labels (`ORG_MIN_LABELS`), or only one value."""
        if half <= 0 or len(labels) < ORG_MIN_LABELS or len(set(labels)) < 2:
            return None
        features = org_features().fit(texts)
        for _, vectorizer in features.transformer_list:
            vectorizer.stop_words_ = None
        classifier = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced")
        classifier.fit(_transform(features, texts), np.asarray(labels))
        return cls(features, classifier, len(labels) / (len(labels) + half), len(labels))

    def proba(self, texts: Sequence[str], classes: np.ndarray) -> np.ndarray:
        """This model's probabilities with columns in `classes` order; a value the organisation
        never used gets 0."""
        own = self.classifier.predict_proba(_transform(self.features, texts))
        mapped = np.zeros((len(texts), len(classes)))
        for column, label in enumerate(self.classifier.classes_):
            mapped[:, int(np.searchsorted(classes, label))] = own[:, column]
        return mapped

    def blend(self, texts: Sequence[str], base: np.ndarray, classes: np.ndarray) -> np.ndarray:
        """`base` (columns in `classes` order) mixed with this model's probabilities; a value
        the organisation never used gets none of its share."""
        blended: np.ndarray = (1.0 - self.share) * base + self.share * self.proba(texts, classes)
        return blended


@dataclass(frozen=True)
class Head:
    """One label's half of a model: the text features it reads and its classifier.

    Both heads of a freshly fitted model share one fitted `features` object (extracted once per
    prediction). They are separate so that promotion can judge each label on its own: a model
    may answer category from a newer fit and priority from an older one.
    """

    features: FeatureUnion
    classifier: ScaledLinearSVC
    cues: UrgencyCues | KeywordCues | None = None
    org: OrgHead | None = None

    def extract(self, texts: Sequence[str]) -> sp.csr_matrix:
        return _transform(self.features, texts)

    def predict_proba(self, texts: Sequence[str], matrix: sp.csr_matrix) -> np.ndarray:
        if self.cues is not None:
            matrix = sp.hstack([matrix, self.cues.transform(texts)], format="csr")
        proba = self.classifier.predict_proba(matrix)
        if self.org is not None:
            proba = self.org.blend(texts, proba, self.classifier.classes_)
        return proba


class TriageModel:
    """A fitted model. `fit` builds one; `predict` is what the local provider calls per ticket."""

    def __init__(self, category: Head, priority: Head) -> None:
        self.category = category
        self.priority = priority

    @classmethod
    def fit(
        cls,
        examples: Sequence[Example],
        *,
        org_half: float = 0.0,
        keyword_cues: bool = True,
        prepared: tuple[FeatureUnion, sp.csr_matrix] | None = None,
    ) -> TriageModel:
        """Fit on the examples; each classifier sees only the rows where its label is known.

        With `org_half` > 0, each label also gets an `OrgHead` fitted on the people's rows
        (`source == "human"`) alone, blended in with the share `n / (n + org_half)`.

        `prepared` is text features already fitted and their matrix of `examples` (one row
        each, in order): cross-validation folds share one fit of the features instead of
        paying for it in every fold.

        Raises `ValueError` when some label has fewer than 3 examples: the confidence scale is
        fitted by 3-fold cross-validation.
        """
        category_rows, category_labels = _known(example.category for example in examples)
        priority_rows, priority_labels = _known(example.priority for example in examples)
        _require_labels(category_labels, CATEGORIES, "category")
        _require_labels(priority_labels, PRIORITIES, "priority")
        texts = [example.text for example in examples]
        if prepared is None:
            features = fit_text_features(texts)
            matrix = features.transform(texts)
        else:
            features, matrix = prepared
        cues = UrgencyCues()
        weights = np.asarray([example.weight for example in examples], dtype=np.float64)

        category_cues = KeywordCues() if keyword_cues else None
        category_matrix = (
            matrix
            if category_cues is None
            else sp.hstack([matrix, category_cues.transform(texts)], format="csr")
        )
        category = ScaledLinearSVC().fit(
            category_matrix[category_rows],
            category_labels,
            sample_weight=weights[category_rows],
        )
        priority_matrix = sp.hstack([matrix, cues.transform(texts)], format="csr")
        priority = ScaledLinearSVC().fit(
            priority_matrix[priority_rows],
            priority_labels,
            sample_weight=weights[priority_rows],
        )
        heads = {}
        for label in LABELS:
            human = [
                (example.text, getattr(example, label))
                for example in examples
                if example.source == "human" and getattr(example, label)
            ]
            heads[label] = OrgHead.fit(
                [text for text, _ in human], [value for _, value in human], org_half
            )
        return cls(
            Head(features, category, category_cues, org=heads["category"]),
            Head(features, priority, cues, org=heads["priority"]),
        )

    @classmethod
    def combine(cls, category_from: TriageModel, priority_from: TriageModel) -> TriageModel:
        """A model answering category as `category_from` does and priority as `priority_from`."""
        return cls(category_from.category, priority_from.priority)

    def predict_many(self, texts: Sequence[str], *, served: bool = False) -> list[LocalPrediction]:
        """Each classifier's likeliest label; with `served`, the answer the product gives (the
        local provider): priority by expected rank (`ordinal_choice`) and, before an
        organisation's own model is blended in, an unsure category taken from the keyword rules
        (`KEYWORDS_BELOW`). The promotion guard judges the classifiers themselves (without
        `served`): that decision layer is fixed and the same on both sides of a comparison.
        """
        # The inputs are our own vectorizers' output, finite by construction: scikit-learn's
        # per-call checks of them would take about a third of a single ticket's time.
        with sklearn.config_context(assume_finite=True, skip_parameter_validation=True):
            matrix = self.category.extract(texts)
            category_proba = self.category.predict_proba(texts, matrix)
            if self.priority.features is not self.category.features:
                matrix = self.priority.extract(texts)
            priority_proba = self.priority.predict_proba(texts, matrix)
        predictions = []
        ranks = priority_ranks(self.priority.classifier.classes_)
        classes = self.category.classifier.classes_
        fallback = served and self.category.org is None
        for text, cat_row, pri_row in zip(texts, category_proba, priority_proba, strict=True):
            cat_index = int(np.argmax(cat_row))
            if fallback and cat_row[cat_index] < KEYWORDS_BELOW:
                hit = keyword_category(text.lower())
                if hit is not None and hit[0] in classes:
                    cat_index = int(np.searchsorted(classes, hit[0]))
            pri_index = ordinal_choice(pri_row, ranks) if served else int(np.argmax(pri_row))
            predictions.append(
                LocalPrediction(
                    category=str(classes[cat_index]),
                    category_confidence=round(float(cat_row[cat_index]), 4),
                    priority=str(self.priority.classifier.classes_[pri_index]),
                    priority_confidence=round(float(pri_row[pri_index]), 4),
                )
            )
        return predictions

    def predict(self, text: str, *, served: bool = False) -> LocalPrediction:
        return self.predict_many([text], served=served)[0]


def priority_ranks(classes: np.ndarray) -> np.ndarray:
    """Each priority class's rank, least urgent 0 (`classes` in the classifier's order)."""
    return np.asarray([PRIORITIES.index(str(label)) for label in classes], dtype=np.float64)


def ordinal_choice(proba: np.ndarray, ranks: np.ndarray) -> int:
    """The column of the priority nearest the probability-weighted mean rank.

    Priorities are ordered, and a miss by one step (high for critical) costs less than a miss by
    three: the most probable class ignores that, the expected rank does not. Chosen on the seed
    corpus's leave-one-register-out checks (priority QWK higher on four registers of five,
    `bench/triage_register_out.py`), never on an evaluation set.
    """
    expected = float(np.dot(proba, ranks))
    return int(np.argmin(np.abs(ranks - expected)))


def _known(labels: Iterable[str | None]) -> tuple[list[int], list[str]]:
    """Positions and values of the labels that are known."""
    pairs = [(i, label) for i, label in enumerate(labels) if label]
    return [i for i, _ in pairs], [label for _, label in pairs]


def _require_labels(labels: Sequence[str], allowed: tuple[str, ...], name: str) -> None:
    counts = {label: 0 for label in allowed}
    for label in labels:
        if label not in counts:
            raise ValueError(f"unknown {name} {label!r}")
        counts[label] += 1
    scarce = [label for label, count in counts.items() if count < 3]
    if scarce:
        raise ValueError(f"too few {name} examples for {', '.join(scarce)} (need 3 of each)")
