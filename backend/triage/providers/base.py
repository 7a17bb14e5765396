"""The provider contract.

A provider turns a ticket's text into a `Prediction`, or raises `ProviderDeclined` when it cannot
answer well (not configured, timed out, failed, answered garbage, not confident enough). Providers
are chosen by dotted path in `settings.TRIAGE_PROVIDERS` and tried in order by `triage.chain`; the
last one must never decline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from triage.labels import CATEGORIES, PRIORITIES


class ProviderDeclined(Exception):
    """The provider cannot answer this input; the chain moves on to the next one."""


@dataclass(frozen=True)
class TicketText:
    title: str
    description: str

    def joined(self) -> str:
        return f"{self.title}\n{self.description}".strip()


@dataclass(frozen=True)
class Prediction:
    category: str
    priority: str
    category_confidence: float
    priority_confidence: float
    provider: str
    reason: str = ""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ProviderDeclined(f"unknown category {self.category!r}")
        if self.priority not in PRIORITIES:
            raise ProviderDeclined(f"unknown priority {self.priority!r}")
        for value in (self.category_confidence, self.priority_confidence):
            if not 0.0 <= value <= 1.0:
                raise ProviderDeclined(f"confidence {value!r} outside 0..1")

    @property
    def confidence(self) -> float:
        """One figure for the pair: the weaker of the two."""
        return min(self.category_confidence, self.priority_confidence)


@dataclass(frozen=True)
class Attempt:
    provider: str
    outcome: str  # "answered" or the reason it declined
    latency_ms: float


@dataclass(frozen=True)
class TriageResult:
    prediction: Prediction
    latency_ms: float
    attempts: tuple[Attempt, ...] = field(default=())
    cached: bool = False


class TriageProvider:
    """Base class. Subclasses set `name` and implement `predict`."""

    name: str = "provider"

    @property
    def available(self) -> bool:
        """Whether this provider is configured to answer now, judged without calling it (no
        network, no model load). An available provider may still decline a given ticket."""
        return True

    def cache_token(self) -> str:
        """Changes whenever this provider's earlier answers may no longer be its answers (a new
        model went live). The chain caches answers under the tokens of every provider, so a
        change here makes it ask again. Must be cheap: it is read on every classification. The
        default never changes."""
        return ""

    def warm_up(self) -> None:
        """Load what the first prediction would otherwise load (a serving process calls this at
        start). May raise `ProviderDeclined`; the default does nothing."""

    def predict(self, text: TicketText) -> Prediction:
        """Return a prediction, or raise `ProviderDeclined`. Must not raise anything else."""
        raise NotImplementedError
