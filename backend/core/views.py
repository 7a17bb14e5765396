"""Health check and the single-page web app."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.errors import ServiceUnavailable
from core.schema import NOT_ACCEPTABLE


@extend_schema(
    operation_id="health",
    responses={
        200: inline_serializer(
            "Health",
            {"status": serializers.CharField(), "database": serializers.CharField()},
        ),
        406: NOT_ACCEPTABLE,
        503: OpenApiResponse(description="The database is unreachable."),
    },
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def health(request: Request) -> Response:
    """200 when the database answers a trivial query; a 503 error otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        raise ServiceUnavailable("The database is unreachable.") from exc
    return Response({"status": "ok", "database": connection.vendor})


def web_app(request: HttpRequest) -> HttpResponseBase:
    """Serve the built web app's index.html for every non-API path (client-side routing)."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        return JsonResponse(
            {
                "message": "The web app is not built. Run `make run` (needs Node.js) or use the "
                "API at /api/ (docs at /api/docs/)."
            },
            status=503,
        )
    # Read whole (it is under a kilobyte): a FileResponse streams a synchronous iterator, which
    # Django under ASGI warns about on every page load.
    response = HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
