"""Health check, OpenAPI schema and Swagger UI."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import OperationalError, connection
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from core.tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db


def test_health_reports_the_database(api: APIClient) -> None:
    response = api.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}


def test_health_is_503_in_the_error_shape_when_the_database_fails(api: APIClient) -> None:
    def refuse(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> None:
        raise OperationalError("connection refused")

    with connection.execute_wrapper(refuse):
        response = api.get("/api/health/")
    error = assert_api_error(response, 503)
    assert error["code"] == "unavailable"


def test_health_only_answers_get(api: APIClient) -> None:
    assert_api_error(api.post("/api/health/"), 405)


def test_schema_is_valid_openapi_describing_every_endpoint(api: APIClient) -> None:
    response = api.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # type: ignore[no-untyped-call]  # unannotated in drf-spectacular
    assert schema["openapi"].startswith("3.")
    operations = {
        (path, method): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    contract = {
        ("/api/health/", "get"): "health",
        ("/api/tickets/", "get"): "tickets_list",
        ("/api/tickets/", "post"): "tickets_create",
        ("/api/tickets/{id}/", "get"): "tickets_retrieve",
        ("/api/tickets/{id}/", "patch"): "tickets_partial_update",
        ("/api/tickets/stats/", "get"): "tickets_stats",
        ("/api/tickets/classify/", "post"): "tickets_classify",
    }
    assert contract.items() <= operations.items()
    assert ("/api/tickets/{id}/", "put") not in operations
    assert ("/api/tickets/{id}/", "delete") not in operations
    enums = schema["components"]["schemas"]
    assert enums["CategoryEnum"]["enum"] == ["billing", "technical", "account", "general"]
    assert enums["PriorityEnum"]["enum"] == ["low", "medium", "high", "critical"]
    assert enums["StatusEnum"]["enum"] == ["open", "in_progress", "resolved", "closed"]


def test_schema_default_format_is_yaml(api: APIClient) -> None:
    response = api.get("/api/schema/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    assert response.content.startswith(b"openapi: 3.")


def test_swagger_ui_is_served_offline_and_points_at_the_schema(api: APIClient) -> None:
    response = api.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "swagger-ui" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    # Everything the page loads comes from this server: the docs work offline.
    assert all(source.startswith("/") and not source.startswith("//") for source in sources)
    # The schema URL is in the page or in the start-up script it loads from us.
    texts = [page]
    for source in sources:
        if source.startswith("/api/docs/"):
            script = api.get(html.unescape(source))
            assert script.status_code == 200
            texts.append(script.content.decode())
    assert any("/api/schema/" in text for text in texts)
