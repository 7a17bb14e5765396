"""Response shapes of the triage status endpoint. No logic lives here."""

from __future__ import annotations

from rest_framework import serializers

from triage.selectors import (
    HeadSummary,
    HeldOutSummary,
    LearningState,
    ModelSummary,
    ProviderStatus,
    TriageStatus,
)
from triage.store import ExampleCounts


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
