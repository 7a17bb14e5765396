"""Statuses every operation can answer whatever its input are declared in the schema: the fuzz
test only sees what its generated cases happen to provoke."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tickets.tests.factories import TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operations(api: APIClient) -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get("/api/schema/?format=json").json()
    return [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_operation_declares_not_acceptable_and_answers_it(
    api: APIClient, operations: list[tuple[str, str, dict[str, Any]]]
) -> None:
    ticket = TicketFactory.create()
    for method, path, operation in operations:
        assert "406" in operation["responses"], operation["operationId"]
        url = path.replace("{id}", str(ticket.pk))
        body = {"title": "t", "description": "d"} if method in {"post", "patch"} else None
        response = getattr(api, method)(url, body, format="json", HTTP_ACCEPT="text/csv")
        assert response.status_code == 406, (method, url, response.status_code)
        assert response.json()["error"]["code"] == "not_acceptable"


def test_a_malformed_cursor_is_a_declared_400(
    api: APIClient, operations: list[tuple[str, str, dict[str, Any]]]
) -> None:
    listing = next(op for _, _, op in operations if op["operationId"] == "tickets_list")
    assert "400" in listing["responses"]
    response = api.get("/api/tickets/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cursor": ["Invalid cursor."]}
