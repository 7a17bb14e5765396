"""OpenAPI refinements the serializers cannot express by themselves.

The schema is fuzzed (core/tests/test_schema_fuzz.py): whatever it calls valid must be accepted,
so rules enforced in code are written into it here.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

# Surrounding whitespace is trimmed (str.strip), so a required text needs one character that is
# not whitespace to Python. Spelled out because `\s` differs between Python and the ECMA regexes
# OpenAPI tools use (Python also strips \x1c-\x1f and \x85; ECMA's \s also has \ufeff).
PYTHON_WHITESPACE = (
    r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
NOT_BLANK = f"[^{PYTHON_WHITESPACE}]"


# drf-spectacular ships py.typed but leaves its extension base classes (__init_subclass__
# registers each extension) and AutoSchema's _map_* helpers unannotated: hence the narrow
# no-untyped-call ignores below.
class StrictCharFieldSchema(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    target_class = "tickets.api.serializers.StrictCharField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer_field(  # type: ignore[no-untyped-call]
            self.target, direction, bypass_extensions=True
        )
        if not self.target.allow_blank:
            schema["pattern"] = NOT_BLANK
        return schema


class TicketUpdateSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """A PATCH must name at least one field."""

    target_class = "tickets.api.serializers.TicketUpdateSerializer"

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] | ResolvedComponent = auto_schema._map_basic_serializer(  # type: ignore[no-untyped-call]
            self.target, direction
        )
        assert isinstance(schema, dict)
        schema["minProperties"] = 1
        return schema
