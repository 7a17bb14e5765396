"""Request validation and response shapes. No business logic lives here."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from tickets.models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Category,
    Priority,
    Status,
    Ticket,
)


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of silently turning them into text."""

    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return str(super().to_internal_value(data))


class TicketSerializer(serializers.ModelSerializer[Ticket]):
    class Meta:
        model = Ticket
        fields = [
            "id",
            "title",
            "description",
            "category",
            "priority",
            "status",
            "created_at",
            "updated_at",
            "suggested_category",
            "suggested_priority",
            "triage_provider",
            "triage_confidence",
            "category_by_human",
            "priority_by_human",
        ]
        read_only_fields = fields


class TicketCreateSerializer(serializers.Serializer[dict[str, Any]]):
    title = StrictCharField(max_length=TITLE_MAX_LENGTH)
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)


class TicketUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, required=False)
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    status = serializers.ChoiceField(choices=Status.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                "Nothing to update: send at least one of title, description, category, "
                "priority, status."
            )
        return attrs


class ClassifyRequestSerializer(serializers.Serializer[dict[str, Any]]):
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH)
    title = StrictCharField(max_length=TITLE_MAX_LENGTH, required=False, allow_blank=True)


class ConfidenceSerializer(serializers.Serializer[dict[str, Any]]):
    category = serializers.FloatField(min_value=0, max_value=1)
    priority = serializers.FloatField(min_value=0, max_value=1)


class ClassifyResponseSerializer(serializers.Serializer[dict[str, Any]]):
    suggested_category = serializers.ChoiceField(choices=Category.choices)
    suggested_priority = serializers.ChoiceField(choices=Priority.choices)
    confidence = ConfidenceSerializer()
    provider = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    latency_ms = serializers.FloatField()
    cached = serializers.BooleanField()


class PriorityCountsSerializer(serializers.Serializer[dict[str, int]]):
    low = serializers.IntegerField()
    medium = serializers.IntegerField()
    high = serializers.IntegerField()
    critical = serializers.IntegerField()


class CategoryCountsSerializer(serializers.Serializer[dict[str, int]]):
    billing = serializers.IntegerField()
    technical = serializers.IntegerField()
    account = serializers.IntegerField()
    general = serializers.IntegerField()


class StatusCountsSerializer(serializers.Serializer[dict[str, int]]):
    open = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    resolved = serializers.IntegerField()
    closed = serializers.IntegerField()


class CategoryRatesSerializer(serializers.Serializer[dict[str, float | None]]):
    billing = serializers.FloatField(allow_null=True)
    technical = serializers.FloatField(allow_null=True)
    account = serializers.FloatField(allow_null=True)
    general = serializers.FloatField(allow_null=True)


class AcceptanceSerializer(serializers.Serializer[dict[str, Any]]):
    """How often people kept the AI's category: overall and per suggested category."""

    rate = serializers.FloatField(allow_null=True)
    reviewed = serializers.IntegerField()
    by_category = CategoryRatesSerializer()


class StatsSerializer(serializers.Serializer[dict[str, Any]]):
    total_tickets = serializers.IntegerField()
    open_tickets = serializers.IntegerField()
    avg_tickets_per_day = serializers.FloatField()
    priority_breakdown = PriorityCountsSerializer()
    category_breakdown = CategoryCountsSerializer()
    status_breakdown = StatusCountsSerializer()
    acceptance = AcceptanceSerializer()
