"""OpenAPI pieces shared by every endpoint: the error body and the headers that come with it.

The schema is tested by fuzzing it (schemathesis): every status and header an operation can
answer with must be documented here, or the test fails.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

from core.text import NOT_BLANK

ERROR_BODY = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorDetail",
            {
                "status": serializers.IntegerField(),
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    required=False,
                    help_text="Per-field messages; only on validation errors.",
                ),
            },
        )
    },
)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ERROR_BODY, description=description)


BAD_REQUEST = error("Invalid input: `fields` names each invalid field.")
NOT_FOUND = error("No such object.")
PAYLOAD_TOO_LARGE = error("The body is over the size limit (64 KB by default).")
UNSUPPORTED_MEDIA_TYPE = error("The body is not `application/json`.")
THROTTLED = error("Too many requests from this client; retry after `Retry-After` seconds.")
UNAVAILABLE = error("The database is unreachable; retry after `Retry-After` seconds.")
NOT_ACCEPTABLE = error("The `Accept` header asks for something other than JSON.")
UNAUTHORIZED = error(
    "No signed-in user (accounts mode), or an invalid token: sign in, or send "
    "`Authorization: Bearer <token>`."
)
FORBIDDEN = error("The caller's role may not do this.")
CONFLICT = error("The object's state refuses this request; `message` says what to do instead.")
IDEMPOTENCY_KEY_REUSED = error("This `Idempotency-Key` was already used with another body.")

RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    location=OpenApiParameter.HEADER,
    response=[429, 503],
    description="Seconds to wait before retrying.",
)


# Any request may lack a user or the role it needs, ask for a type the API cannot answer in, or
# find the database down; any request with a JSON body may be refused.
READ_ERRORS: dict[int, OpenApiResponse] = {
    401: UNAUTHORIZED,
    403: FORBIDDEN,
    406: NOT_ACCEPTABLE,
    503: UNAVAILABLE,
}
WRITE_ERRORS: dict[int, OpenApiResponse] = {
    400: BAD_REQUEST,
    **READ_ERRORS,
    413: PAYLOAD_TOO_LARGE,
    415: UNSUPPORTED_MEDIA_TYPE,
}


def require_request_bodies(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every request body of this API is required.

    drf-spectacular marks a PATCH body optional (all its fields are), but an empty PATCH is a 400
    ("nothing to update"), so the schema says so.
    """
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["requestBody"]["required"] = True
    return result


# Surrounding whitespace is trimmed (str.strip), so a required text needs one character that is
# not whitespace to Python (`core.text.NOT_BLANK`). drf-spectacular leaves its extension base
# classes (__init_subclass__ registers each) and AutoSchema's _map_* helpers unannotated: hence
# the narrow no-untyped-call ignores.
class StrictCharFieldSchema(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    target_class = "core.serializers.StrictCharField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_serializer_field(  # type: ignore[no-untyped-call]
            self.target, direction, bypass_extensions=True
        )
        # Untrimmed text (a message body) is still refused when it is all whitespace.
        if not self.target.allow_blank:
            schema["pattern"] = NOT_BLANK
        return schema


class PatchBodySchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """A PATCH body must name at least one field (an empty one is a 400, "nothing to update").

    A base: each API declares a subclass naming its serializer (`target_class`), and lists in
    `non_empty_lists` the list fields that must hold one item at least."""

    non_empty_lists: tuple[str, ...] = ()

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] | ResolvedComponent = auto_schema._map_basic_serializer(  # type: ignore[no-untyped-call]
            self.target, direction
        )
        assert isinstance(schema, dict)
        schema["minProperties"] = 1
        for name in self.non_empty_lists:
            schema["properties"][name]["minItems"] = 1
        return schema
