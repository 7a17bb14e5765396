"""The one error shape for everything under /api/ that is not a success."""

from __future__ import annotations

import pytest
from rest_framework import exceptions
from rest_framework.test import APIClient

from core.errors import api_exception_handler
from core.tests.helpers import assert_api_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/nope/", "/api/tickets/abc/", "/api/tickets/1/extra/", "/api/tickets/stats/x/", "/api/"],
)
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_unknown_api_path_is_a_json_404(api: APIClient, method: str, path: str) -> None:
    response = getattr(api, method)(path)
    error = assert_api_error(response, 404)
    assert error["code"] == "not_found"


def test_unknown_ticket_id_is_a_json_404(api: APIClient) -> None:
    error = assert_api_error(api.get("/api/tickets/999999/"), 404)
    assert error["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/health/", "/api/tickets/", "/"])
def test_disallowed_host_is_a_json_400_naming_the_setting(api: APIClient, path: str) -> None:
    response = api.get(path, HTTP_HOST="attacker.example")
    error = assert_api_error(response, 400)
    assert error["code"] == "unknown_host"
    assert "ALLOWED_HOSTS" in error["message"]
    assert "attacker.example" not in response.content.decode()


@pytest.mark.urls("core.tests.crash_urls")
@pytest.mark.parametrize("kind", ["drf", "django"])
def test_a_crash_is_a_json_500_without_details(api: APIClient, kind: str) -> None:
    api.raise_request_exception = False
    response = api.get(f"/api/test-crash/{kind}/")
    error = assert_api_error(response, 500)
    assert error["code"] == "server_error"
    assert "boom" not in response.content.decode()


def test_validation_error_body_lists_every_field_and_message() -> None:
    exc = exceptions.ValidationError(
        {"title": ["Too long.", "Not a string."], "non_field_errors": ["Bad pair."]}
    )
    response = api_exception_handler(exc, {})
    assert response is not None
    assert response.status_code == 400
    assert response.data == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "Bad pair.",
            "fields": {"title": ["Too long.", "Not a string."]},
        }
    }


def test_validation_error_without_fields_uses_its_message() -> None:
    response = api_exception_handler(exceptions.ValidationError(["Nothing to do."]), {})
    assert response is not None
    assert response.data == {
        "error": {"status": 400, "code": "invalid", "message": "Nothing to do."}
    }


def test_api_exceptions_keep_their_status_and_code() -> None:
    response = api_exception_handler(exceptions.Throttled(wait=3), {})
    assert response is not None
    assert response.status_code == 429
    assert response.data["error"]["status"] == 429
    assert response.data["error"]["code"] == "throttled"
    assert response["Retry-After"] == "3"


def test_exceptions_outside_drf_are_left_to_django() -> None:
    assert api_exception_handler(RuntimeError("boom"), {}) is None
