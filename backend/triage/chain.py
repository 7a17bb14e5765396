"""The fallback chain: providers in the configured order, a bounded cache in front.

`classify()` always answers: a provider that declines or crashes hands over to the next, and the
configured list ends with the rules provider, which cannot fail. Should even that be misconfigured
away, a neutral "general/medium" answer is given rather than an error: triage must never block a
ticket.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from tickets.services import Suggestion
from triage.providers.base import (
    Attempt,
    Prediction,
    ProviderDeclined,
    TicketText,
    TriageProvider,
    TriageResult,
)

logger = logging.getLogger(__name__)

FALLBACK = Prediction(
    "general", "medium", 0.0, 0.0, provider="fallback", reason="no provider answered"
)


class _LRU:
    """A small thread-safe LRU map; identical ticket texts are answered without a model call."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[str, Prediction] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Prediction | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: Prediction) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


@cache
def _cache() -> _LRU:
    return _LRU(settings.TRIAGE_CACHE_SIZE)


@cache
def providers() -> tuple[TriageProvider, ...]:
    """The configured providers, instantiated once per process."""
    return tuple(import_string(path)() for path in settings.TRIAGE_PROVIDERS)


def warm_up() -> None:
    """Instantiate the providers and let each load what it needs (the local model, if one is on
    disk), so the first suggestion after a server starts is not seconds slower than the rest.
    Called by the ASGI entry point; never raises, since a provider that fails here will be tried
    again, and may decline, on first use."""
    started = time.perf_counter()
    try:
        loaded = providers()
    except Exception:
        logger.warning("triage providers could not be loaded at start", exc_info=True)
        return
    for provider in loaded:
        try:
            provider.warm_up()
        except Exception:
            logger.warning("triage provider %s loads on first use", provider.name, exc_info=True)
    logger.info("triage providers ready in %.1f s", time.perf_counter() - started)


def reset() -> None:
    """Forget instantiated providers and cached answers (settings changed, or a new model)."""
    providers.cache_clear()
    _cache().clear()
    _cache.cache_clear()


def _key(text: TicketText, loaded: tuple[TriageProvider, ...]) -> str:
    """The text, and what each provider would answer it with now (see `cache_token`)."""
    tokens = "\x00".join(provider.cache_token() for provider in loaded)
    return hashlib.sha256(f"{text.title}\x00{text.description}\x01{tokens}".encode()).hexdigest()


def classify(*, title: str = "", description: str) -> TriageResult:
    """Suggest a category and priority for a ticket's text. Never raises, never blocks for long."""
    started = time.perf_counter()
    text = TicketText(title=title.strip(), description=description.strip())
    loaded = providers()
    key = _key(text, loaded)
    hit = _cache().get(key)
    if hit is not None:
        return TriageResult(hit, (time.perf_counter() - started) * 1000, cached=True)

    attempts: list[Attempt] = []
    for provider in loaded:
        tried = time.perf_counter()
        try:
            prediction = provider.predict(text)
        except ProviderDeclined as exc:
            outcome = f"declined: {exc}"
        except Exception as exc:  # a provider bug must not block a ticket
            logger.exception("triage provider %s crashed", provider.name)
            outcome = f"crashed: {type(exc).__name__}"
        else:
            attempts.append(
                Attempt(provider.name, "answered", (time.perf_counter() - tried) * 1000)
            )
            _cache().put(key, prediction)
            return TriageResult(prediction, (time.perf_counter() - started) * 1000, tuple(attempts))
        attempts.append(Attempt(provider.name, outcome, (time.perf_counter() - tried) * 1000))
        logger.info("triage provider %s %s", provider.name, outcome)
    return TriageResult(FALLBACK, (time.perf_counter() - started) * 1000, tuple(attempts))


def suggest(*, title: str = "", description: str) -> Suggestion:
    """`classify`'s answer in the shape a new ticket records it (labels, provider, and the
    weaker of the two confidences). Never raises."""
    prediction = classify(title=title, description=description).prediction
    return Suggestion(
        category=prediction.category,
        priority=prediction.priority,
        provider=prediction.provider,
        confidence=prediction.confidence,
    )
