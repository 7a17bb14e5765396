"""Serializer fields shared by every app's API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import serializers


def iso_datetime(value: dt.datetime | None, tz: dt.tzinfo | None = None) -> str | None:
    """A date as DRF's `DateTimeField` writes it (current time zone, ISO 8601, UTC as `Z`), for
    the shapes built directly instead of field by field (tickets, messages: the hot lists).
    `tz`: the current time zone, when the caller already looked it up for several dates."""
    if value is None:
        return None
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class StrictCharField(serializers.CharField):
    """A CharField that refuses numbers and booleans instead of silently turning them into text."""

    default_error_messages = {"not_a_string": "Must be a string."}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return str(super().to_internal_value(data))
