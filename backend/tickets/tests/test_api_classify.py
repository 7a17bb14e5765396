"""POST /api/tickets/classify/: a suggestion for text, 400 for bad text, never a 5xx."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from core.tests.helpers import assert_api_error
from tickets.models import Category, Priority, Ticket
from tickets.tests.providers import CRASHING, DECLINING, FIXED, RULES, FixedProvider
from triage import chain

pytestmark = pytest.mark.django_db

CLASSIFY = "/api/tickets/classify/"


def assert_suggestion(body: dict[str, Any]) -> None:
    assert {"suggested_category", "suggested_priority", "confidence", "provider"} <= set(body)
    assert body["suggested_category"] in Category.values
    assert body["suggested_priority"] in Priority.values
    assert set(body["confidence"]) == {"category", "priority"}
    for value in body["confidence"].values():
        assert isinstance(value, float | int) and 0 <= value <= 1
    assert isinstance(body["provider"], str) and body["provider"]


def test_200_with_the_providers_suggestion(
    api: APIClient, fixed_triage: type[FixedProvider]
) -> None:
    response = api.post(
        CLASSIFY, {"title": "Export", "description": "The export crashes."}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert_suggestion(body)
    assert body["suggested_category"] == "technical"
    assert body["suggested_priority"] == "critical"
    assert body["confidence"] == {"category": 0.9, "priority": 0.7}
    assert body["provider"] == "fixed"
    assert body["cached"] is False
    assert body["latency_ms"] >= 0
    assert fixed_triage.seen[-1].title == "Export"


def test_a_real_provider_answers_through_the_engine(
    api: APIClient, triage_providers: Callable[..., None]
) -> None:
    # The rules provider: real, fast, and always configured (the model-backed ones are tested in
    # backend/triage/).
    triage_providers(RULES)
    text = {"title": "Locked out", "description": "I cannot log in: my password is refused."}
    response = api.post(CLASSIFY, text, format="json")
    assert response.status_code == 200
    body = response.json()
    assert_suggestion(body)
    expected = chain.classify(**text).prediction
    assert (body["suggested_category"], body["suggested_priority"]) == (
        expected.category,
        expected.priority,
    )
    assert body["provider"] == expected.provider


def test_title_is_optional(api: APIClient, fixed_triage: type[FixedProvider]) -> None:
    response = api.post(CLASSIFY, {"description": "Printer on fire."}, format="json")
    assert response.status_code == 200
    assert fixed_triage.seen[-1].title == ""
    assert fixed_triage.seen[-1].description == "Printer on fire."


def test_a_blank_title_is_allowed(api: APIClient, fixed_triage: type[FixedProvider]) -> None:
    response = api.post(CLASSIFY, {"title": "  ", "description": "text"}, format="json")
    assert response.status_code == 200


def test_the_same_text_again_is_answered_from_the_cache(
    api: APIClient, fixed_triage: type[FixedProvider]
) -> None:
    text = {"title": "t", "description": "same text"}
    assert api.post(CLASSIFY, text, format="json").json()["cached"] is False
    second = api.post(CLASSIFY, text, format="json").json()
    assert second["cached"] is True
    assert second["suggested_category"] == "technical"
    assert len(fixed_triage.seen) == 1


def test_classifying_creates_nothing(api: APIClient, fixed_triage: type[FixedProvider]) -> None:
    api.post(CLASSIFY, {"description": "text"}, format="json")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("providers", "answering"),
    [
        ((CRASHING, FIXED), "fixed"),
        ((DECLINING, CRASHING, FIXED), "fixed"),
        ((CRASHING, DECLINING, RULES), "rules"),
    ],
)
def test_failing_providers_hand_over_to_the_next(
    api: APIClient,
    triage_providers: Callable[..., None],
    providers: tuple[str, ...],
    answering: str,
) -> None:
    triage_providers(*providers)
    response = api.post(CLASSIFY, {"description": "Card charged twice"}, format="json")
    assert response.status_code == 200
    assert response.json()["provider"] == answering


def test_200_even_when_every_provider_fails(
    api: APIClient, triage_providers: Callable[..., None]
) -> None:
    triage_providers(CRASHING, DECLINING)
    response = api.post(CLASSIFY, {"description": "Anything"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert_suggestion(body)
    assert body["provider"] == "fallback"
    assert (body["suggested_category"], body["suggested_priority"]) == ("general", "medium")


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"title": "only a title"},
        {"description": ""},
        {"description": "   "},
        {"description": "\n\t \r\n"},
        {"description": None},
        {"description": 42},
        {"description": 4.2},
        {"description": True},
        {"description": ["text"]},
        {"description": {"text": "x"}},
        {"description": "x" * 10_001},
        {"description": "a\x00b"},
    ],
)
def test_missing_blank_non_string_or_oversize_description_is_400(
    api: APIClient, payload: dict[str, object]
) -> None:
    assert_api_error(api.post(CLASSIFY, payload, format="json"), 400, fields={"description"})


@pytest.mark.parametrize("title", [None, 7, ["t"], "x" * 201])
def test_a_bad_title_is_400(api: APIClient, title: object) -> None:
    response = api.post(CLASSIFY, {"title": title, "description": "ok"}, format="json")
    assert_api_error(response, 400, fields={"title"})


def test_description_of_exactly_the_maximum_is_accepted(
    api: APIClient, fixed_triage: type[FixedProvider]
) -> None:
    response = api.post(CLASSIFY, {"description": "x" * 10_000}, format="json")
    assert response.status_code == 200


def test_an_oversized_body_is_413(api: APIClient) -> None:
    response = api.post(CLASSIFY, {"description": "x" * 200_000}, format="json")
    assert_api_error(response, 413)


@pytest.mark.parametrize("body", [b"[]", b'"text"', b"null", b"12", b"{", b"[" * 5000])
def test_a_body_that_is_not_an_object_is_400(api: APIClient, body: bytes) -> None:
    response = api.post(CLASSIFY, body, content_type="application/json")
    assert_api_error(response, 400)
