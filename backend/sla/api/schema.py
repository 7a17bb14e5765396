"""The SLA API's OpenAPI refinements: rules enforced in code, written into the schema (which is
fuzzed: whatever it calls valid must be accepted)."""

from __future__ import annotations

from core.schema import PatchBodySchema


class PolicyUpdateSchema(PatchBodySchema):  # type: ignore[no-untyped-call]
    target_class = "sla.api.serializers.PolicyUpdateSerializer"


class CalendarUpdateSchema(PatchBodySchema):  # type: ignore[no-untyped-call]
    target_class = "sla.api.serializers.CalendarUpdateSerializer"
    # A calendar with no opening hours would never let a business-hours target fall due.
    non_empty_lists = ("windows",)
