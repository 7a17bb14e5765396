"""Assertions shared by the API tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rest_framework.response import _MonkeyPatchedResponse


def assert_api_error(
    response: _MonkeyPatchedResponse, status: int, *, fields: set[str] | None = None
) -> dict[str, Any]:
    """Assert `response` is the API's one error shape with this status; return the error object.

    The shape: ``{"error": {"status", "code", "message", "fields"?}}`` as JSON, where `fields`
    (only for validation errors) maps a field name to a list of messages. With `fields`, the
    response must name exactly those fields.
    """
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert set(error) <= {"status", "code", "message", "fields"}, error
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    if "fields" in error:
        assert isinstance(error["fields"], dict) and error["fields"]
        for messages in error["fields"].values():
            assert isinstance(messages, list) and messages
            assert all(isinstance(message, str) and message for message in messages)
    if fields is not None:
        assert set(error.get("fields", {})) == fields, error
    return error
