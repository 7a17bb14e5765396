"""OpenAPI: how the bearer token is described (an extension, loaded in ready()), and which
operations may be called without credentials."""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
)
from drf_spectacular.plumbing import ResolvedComponent

from accounts.access import caller_for
from accounts.permissions import allowed


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "accounts.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (POST /api/auth/tokens/): `tdk_…`.",
        }


class AutoSchema(openapi.AutoSchema):
    """Says which operations need no credentials: in open mode, those the anonymous caller (an
    agent) may perform; in accounts mode none but the public ones (`AllowAny`)."""

    def get_auth(self) -> list[dict[str, list[str]]]:
        auths: list[dict[str, list[str]]] = super().get_auth()
        actions = getattr(self.view, "permission_actions", None)
        action = actions.get(self.method) if actions else None
        anonymous = caller_for(None)
        anonymous_may = action is not None and anonymous is not None and allowed(anonymous, action)
        if anonymous_may and {} not in auths:
            auths.append({})
        return auths


class UserUpdateSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """A PATCH must name at least one field."""

    target_class = "accounts.api.serializers.UserUpdateSerializer"

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] | ResolvedComponent = auto_schema._map_basic_serializer(
            self.target, direction
        )
        assert isinstance(schema, dict)
        schema["minProperties"] = 1
        return schema


class MeUpdateSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """PATCH /api/auth/me/ has one field, so it must be sent."""

    target_class = "accounts.api.serializers.MeUpdateSerializer"

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] | ResolvedComponent = auto_schema._map_basic_serializer(
            self.target, direction
        )
        assert isinstance(schema, dict)
        schema["required"] = ["available"]
        return schema
