"""Django's admin for the policies and the calendar (the API is the other way)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from sla.models import BusinessCalendar, SlaPolicy
from sla.targets import calendar_from


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = ["priority", "first_response_minutes", "resolution_minutes", "business_hours"]
    fields = ["priority", "first_response_minutes", "resolution_minutes", "business_hours"]
    readonly_fields = ["priority"]

    # One policy per priority, seeded by a migration: they are changed, never added or removed.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CalendarForm(forms.ModelForm[BusinessCalendar]):
    class Meta:
        model = BusinessCalendar
        fields = ["time_zone", "windows", "country", "subdivision", "holidays"]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        try:
            calendar = calendar_from(
                time_zone=data.get("time_zone", ""),
                windows=list(data.get("windows") or []),
                country=data.get("country", ""),
                subdivision=data.get("subdivision", ""),
                holidays=list(data.get("holidays") or []),
            )
            calendar.zone  # noqa: B018 - an unknown time zone raises here
        except Exception as exc:  # the admin shows any malformed value as a form error
            raise forms.ValidationError(str(exc)) from exc
        if not calendar.windows:
            raise forms.ValidationError("The calendar needs at least one opening window.")
        return data


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin[BusinessCalendar]):
    form = CalendarForm
    list_display = ["time_zone", "country", "subdivision", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not BusinessCalendar.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
