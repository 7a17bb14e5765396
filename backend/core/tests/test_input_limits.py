"""Every input is bounded, and going over a bound is a clear 4xx in the API's error shape."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from core.body_limit import BodySizeLimit
from core.tests.helpers import assert_api_error
from tickets.models import DESCRIPTION_MAX_LENGTH
from tickets.search import SEARCH_MAX_LENGTH

pytestmark = pytest.mark.django_db


def test_an_oversized_body_is_a_413(api: APIClient) -> None:
    body = json.dumps(
        {"title": "x", "description": "y" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    )
    for url in ("/api/tickets/", "/api/tickets/classify/"):
        error = assert_api_error(api.post(url, body, content_type="application/json"), 413)
        assert error["code"] == "payload_too_large"


def test_description_length_is_bounded(api: APIClient) -> None:
    at_limit = {"title": "t", "description": "d" * DESCRIPTION_MAX_LENGTH}
    over = {"title": "t", "description": "d" * (DESCRIPTION_MAX_LENGTH + 1)}
    assert api.post("/api/tickets/", at_limit, format="json").status_code == 201
    assert_api_error(api.post("/api/tickets/", over, format="json"), 400, fields={"description"})
    assert_api_error(
        api.post("/api/tickets/classify/", {"description": over["description"]}, format="json"),
        400,
        fields={"description"},
    )


def test_search_length_is_bounded(api: APIClient) -> None:
    assert api.get("/api/tickets/", {"search": "s" * SEARCH_MAX_LENGTH}).status_code == 200
    response = api.get("/api/tickets/", {"search": "s" * (SEARCH_MAX_LENGTH + 1)})
    assert_api_error(response, 400, fields={"search"})


@pytest.mark.parametrize("limit", ["0", "201", "-1", "1e3", "many"])
def test_page_size_is_bounded(api: APIClient, limit: str) -> None:
    assert_api_error(api.get("/api/tickets/", {"limit": limit}), 400, fields={"limit"})


def test_the_largest_page_is_200(api: APIClient) -> None:
    assert api.get("/api/tickets/", {"limit": "200"}).status_code == 200


# ---- core.body_limit: bodies without Content-Length (chunked) ---------------------------


class Recorder:
    """A stand-in ASGI app that reads the whole body the way Django's handler does."""

    def __init__(self) -> None:
        self.body = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.called = False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.called = True
        self.headers = list(scope["headers"])
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            self.body += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def run(app: BodySizeLimit, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> list[Any]:
    messages = [
        {"type": "http.request", "body": chunk, "more_body": i < len(chunks) - 1}
        for i, chunk in enumerate(chunks)
    ]
    sent: list[Any] = []

    async def receive() -> Any:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/tickets/", "headers": headers}
    asyncio.run(app(scope, receive, send))
    return sent


def test_a_chunked_body_over_the_limit_is_a_413_before_the_app_runs() -> None:
    inner = Recorder()
    sent = run(BodySizeLimit(inner, max_bytes=10), [], [b"12345", b"67890", b"X"])
    assert sent[0]["status"] == 413
    assert json.loads(sent[1]["body"])["error"]["code"] == "payload_too_large"
    assert not inner.called


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    inner = Recorder()
    sent = run(BodySizeLimit(inner, max_bytes=10), [(b"content-length", b"11")], [b"x" * 11])
    assert sent[0]["status"] == 413
    assert not inner.called


def test_a_chunked_body_within_the_limit_arrives_whole_with_its_length() -> None:
    inner = Recorder()
    sent = run(BodySizeLimit(inner, max_bytes=10), [], [b"12345", b"67890"])
    assert sent[0]["status"] == 200
    assert inner.body == b"1234567890"
    assert (b"content-length", b"10") in inner.headers


def test_a_declared_body_passes_untouched() -> None:
    inner = Recorder()
    sent = run(BodySizeLimit(inner, max_bytes=10), [(b"content-length", b"3")], [b"abc"])
    assert sent[0]["status"] == 200
    assert inner.body == b"abc"
    assert inner.headers == [(b"content-length", b"3")]


def test_the_served_application_is_wrapped() -> None:
    from config.asgi import application

    assert isinstance(application, BodySizeLimit)
    assert application.max_bytes == django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
