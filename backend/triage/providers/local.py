"""The local model provider: scikit-learn, no key, no network, about a millisecond per ticket.

The live model is read once per process and re-read when `current.json` changes (a `stat` per
prediction), so a model promoted by the background worker reaches every web process without a
restart. With no model on disk it trains one on first use; meanwhile other processes decline to
the next provider instead of waiting.
"""

from __future__ import annotations

import threading

from django.conf import settings

from triage import store
from triage.classifier import TriageModel
from triage.learning import training
from triage.providers.base import Prediction, ProviderDeclined, TicketText, TriageProvider


class LocalModelProvider(TriageProvider):
    name = "local"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._model: TriageModel | None = None
        self._version = ""
        self._stamp: tuple[int, int, int] | None = None

    def predict(self, text: TicketText) -> Prediction:
        model, version = self._live_model()
        result = model.predict(text.joined(), served=True)
        prediction = Prediction(
            category=result.category,
            priority=result.priority,
            category_confidence=result.category_confidence,
            priority_confidence=result.priority_confidence,
            provider=self.name,
            reason=f"local model {version}",
        )
        if prediction.confidence < settings.TRIAGE_LOCAL_MIN_CONFIDENCE:
            raise ProviderDeclined(f"confidence {prediction.confidence:.2f} under threshold")
        return prediction

    def cache_token(self) -> str:
        """The live model's pointer file fingerprint: a promotion in any process changes it, so
        answers cached from the previous model are not served once a new one is live."""
        return repr(store.pointer_stamp())

    def warm_up(self) -> None:
        """Load the live model if there is one; a missing model is still trained on first use
        (in a request, or by `train_triage --if-missing` at start), not here."""
        if store.pointer_stamp() is not None:
            self._live_model()

    @property
    def version(self) -> str:
        """The version this process last loaded ("" before the first prediction)."""
        return self._version

    def _live_model(self) -> tuple[TriageModel, str]:
        stamp = store.pointer_stamp()
        model = self._model
        if model is not None and stamp == self._stamp:
            return model, self._version
        with self._lock:
            # The stamp is taken before loading: a promotion racing the load then shows up as
            # a changed stamp on the next call, never as a stale model kept for good.
            stamp = store.pointer_stamp()
            if self._model is None or stamp != self._stamp:
                try:
                    bundle = training.ensure_model()
                except store.TrainingBusy as exc:
                    raise ProviderDeclined("the model is being trained") from exc
                self._model, self._version, self._stamp = bundle.model, bundle.version, stamp
            return self._model, self._version
