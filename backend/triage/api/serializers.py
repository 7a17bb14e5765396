"""Request and response shapes of the triage endpoints (classify, status). No logic lives
here."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.serializers import StrictCharField
from tickets.models import DESCRIPTION_MAX_LENGTH, TITLE_MAX_LENGTH, Category, Priority
from triage.providers.base import TriageResult
from triage.selectors import (
    HeadSummary,
    HeldOutSummary,
    JudgedOnSummary,
    LearningState,
    ModelSummary,
    ProviderStatus,
    TriageStatus,
)
from triage.store import ExampleCounts


class ClassifyRequestSerializer(serializers.Serializer[dict[str, Any]]):
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH)
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, required=False, allow_blank=True)


# Read from a `Prediction`.
class ConfidenceSerializer(serializers.Serializer[Any]):
    """How sure the answering provider is of each label, from 0 to 1."""

    category = serializers.FloatField(min_value=0, max_value=1, source="category_confidence")
    priority = serializers.FloatField(min_value=0, max_value=1, source="priority_confidence")


class MillisecondsField(serializers.FloatField):
    """Milliseconds to two decimals: finer figures are noise."""

    # DRF's stubs type every field's representation as str; a FloatField's is a float.
    def to_representation(self, value: float) -> float:  # type: ignore[override]
        return round(float(value), 2)


# Read from a `TriageResult`.
class ClassifyResponseSerializer(serializers.Serializer[TriageResult]):
    """Suggested labels for a ticket's text, and which provider answered."""

    suggested_category = serializers.ChoiceField(
        choices=Category.choices, source="prediction.category"
    )
    suggested_priority = serializers.ChoiceField(
        choices=Priority.choices, source="prediction.priority"
    )
    confidence = ConfidenceSerializer(source="prediction")
    provider = serializers.CharField(source="prediction.provider")
    reason = serializers.CharField(allow_blank=True, source="prediction.reason")
    latency_ms = MillisecondsField()
    cached = serializers.BooleanField()


class TriageProviderSerializer(serializers.Serializer[ProviderStatus]):
    name = serializers.CharField(
        help_text='The provider\'s name, as tickets record it: "llm", "local", "rules".'
    )
    available = serializers.BooleanField(
        help_text="Whether it is configured to answer now (the LLM: a key is set). An available "
        "provider may still decline a ticket, and the next one answers."
    )


class TriageExamplesSerializer(serializers.Serializer[ExampleCounts]):
    seed = serializers.IntegerField(min_value=0, help_text="Rows of the team's seed corpus.")
    human = serializers.IntegerField(
        min_value=0, help_text="Tickets whose category or priority a person chose."
    )


class TriageJudgedOnSerializer(serializers.Serializer[JudgedOnSummary]):
    rows = serializers.ChoiceField(
        choices=["people", "all"],
        help_text="people: the organisation's own held-out labels only. all: mostly the "
        "built-in seed examples (too few of the organisation's labels yet), which says how well "
        "the model fits those examples, not how it does on this organisation's tickets.",
    )
    count = serializers.IntegerField(min_value=0, help_text="Rows the figure is computed on.")


class TriageJudgedOnByLabelSerializer(serializers.Serializer[dict[str, JudgedOnSummary]]):
    category = TriageJudgedOnSerializer()
    priority = TriageJudgedOnSerializer()


class TriageHeldOutSerializer(serializers.Serializer[HeldOutSummary]):
    rows = serializers.IntegerField(
        min_value=0, help_text="Examples held out of training to score the model on."
    )
    category_macro_f1 = serializers.FloatField(
        help_text="Category macro-F1 on those rows, 0 to 1: every category counts equally."
    )
    priority_macro_f1 = serializers.FloatField(help_text="Priority macro-F1 on those rows, 0 to 1.")
    priority_qwk = serializers.FloatField(
        help_text="Priority quadratic weighted kappa, -1 to 1: agreement with people, where "
        "calling a high ticket critical costs less than calling it low; 0 is chance."
    )
    judged_on = TriageJudgedOnByLabelSerializer(
        help_text="Per label, which rows its figure is on: the organisation's own or seed."
    )


class TriageHeadSerializer(serializers.Serializer[HeadSummary]):
    version = serializers.CharField()
    trained_at = serializers.DateTimeField()


class TriageHeadsSerializer(serializers.Serializer[dict[str, HeadSummary]]):
    category = TriageHeadSerializer(help_text="The fit the category classifier comes from.")
    priority = TriageHeadSerializer(help_text="The fit the priority classifier comes from.")


class TriageLocalModelSerializer(serializers.Serializer[ModelSummary]):
    version = serializers.CharField()
    trained_at = serializers.DateTimeField()
    examples = TriageExamplesSerializer(help_text="What it learned from.")
    held_out = TriageHeldOutSerializer(
        help_text="Scores on the held-out slice (the promotion guard's figures)."
    )
    heads = TriageHeadsSerializer(
        help_text="Each label's classifier goes live on its own; when only one improved, the "
        "two come from different fits."
    )


class TriageLearningSerializer(serializers.Serializer[LearningState]):
    labels_since_training = serializers.IntegerField(
        min_value=0, help_text="Label choices people made since the model last trained."
    )
    retrain_every = serializers.IntegerField(
        help_text="A retrain is queued once this many are pending (TRIAGE_RETRAIN_EVERY)."
    )
    retrain_queued = serializers.BooleanField(
        help_text="A retrain is waiting for or running on the worker."
    )
    last_trained_at = serializers.DateTimeField(
        allow_null=True,
        help_text="When a retrain last ran (promoted or not); null before the first.",
    )


class TriageStatusSerializer(serializers.Serializer[TriageStatus]):
    providers = TriageProviderSerializer(many=True, help_text="The chain, in the order tried.")
    local_model = TriageLocalModelSerializer(
        allow_null=True,
        help_text="The live local model; null when none is trained yet or its file is unreadable.",
    )
    learning = TriageLearningSerializer()
