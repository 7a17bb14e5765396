"""OpenAPI details of the team endpoints (registered on import by the views)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent


class TeamUpdateSchema(OpenApiSerializerExtension):  # type: ignore[no-untyped-call]
    """A PATCH must name at least one field."""

    target_class = "routing.api.serializers.TeamUpdateSerializer"

    def map_serializer(self, auto_schema: Any, direction: str) -> dict[str, Any]:
        schema: dict[str, Any] | ResolvedComponent = auto_schema._map_basic_serializer(
            self.target, direction
        )
        assert isinstance(schema, dict)
        schema["minProperties"] = 1
        return schema
