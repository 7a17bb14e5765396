"""Request validation and response shapes of the SLA endpoints."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from sla.models import BusinessCalendar, SlaPolicy

MINUTES_MAX = 366 * 24 * 60  # a year
WINDOWS_MAX = 100


class PolicySerializer(serializers.ModelSerializer[SlaPolicy]):
    class Meta:
        model = SlaPolicy
        fields = ["priority", "first_response_minutes", "resolution_minutes", "business_hours"]
        read_only_fields = fields


class PolicyUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    first_response_minutes = serializers.IntegerField(
        min_value=1, max_value=MINUTES_MAX, required=False
    )
    resolution_minutes = serializers.IntegerField(
        min_value=1, max_value=MINUTES_MAX, required=False
    )
    business_hours = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                "Nothing to update: send first_response_minutes, resolution_minutes or "
                "business_hours."
            )
        return attrs


class WindowSerializer(serializers.Serializer[dict[str, Any]]):
    day = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday")
    start = serializers.RegexField(r"^([01]\d|2[0-3]):[0-5]\d$", help_text="HH:MM")
    end = serializers.RegexField(
        r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$",
        help_text="HH:MM or 24:00; before the start: the window crosses midnight",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start"] == attrs["end"]:
            raise serializers.ValidationError("A window must not be empty (start == end).")
        return attrs


class CalendarSerializer(serializers.ModelSerializer[BusinessCalendar]):
    windows = WindowSerializer(many=True)
    holidays = serializers.ListField(
        child=serializers.DateField(), help_text="The organisation's own closed dates."
    )

    class Meta:
        model = BusinessCalendar
        fields = ["time_zone", "windows", "country", "subdivision", "holidays"]
        read_only_fields = fields


class CalendarUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    time_zone = serializers.CharField(max_length=64, required=False, help_text="IANA name")
    windows = WindowSerializer(many=True, required=False, allow_empty=False)
    country = serializers.CharField(
        max_length=8, required=False, allow_blank=True, help_text="ISO code; empty: none"
    )
    subdivision = serializers.CharField(max_length=16, required=False, allow_blank=True)
    holidays = serializers.ListField(child=serializers.DateField(), required=False, max_length=1000)

    def validate_windows(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > WINDOWS_MAX:
            raise serializers.ValidationError(f"At most {WINDOWS_MAX} windows.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Nothing to update.")
        if "holidays" in attrs:
            attrs["holidays"] = sorted({day.isoformat() for day in attrs["holidays"]})
        if "windows" in attrs:
            attrs["windows"] = [dict(window) for window in attrs["windows"]]
        return attrs
