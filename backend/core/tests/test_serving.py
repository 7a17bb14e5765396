from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from django.urls import reverse

from core.serving import STREAMING_PREFIXES, SplitApplication


def test_the_event_stream_is_among_the_streaming_paths() -> None:
    assert reverse("event-stream").startswith(STREAMING_PREFIXES)


class Recorder:
    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.paths.append(scope.get("path", scope["type"]))


def test_streams_and_lifespan_go_to_the_asgi_handler_everything_else_to_the_threads() -> None:
    app = SplitApplication(threads=2)
    app.streaming, app.threaded = streaming, threaded = Recorder(), Recorder()

    async def drive() -> None:
        for scope in (
            {"type": "http", "path": "/api/events/"},
            {"type": "http", "path": "/api/tickets/"},
            {"type": "http", "path": "/api/health/"},
            {"type": "http", "path": "/"},
            {"type": "lifespan"},
        ):
            await app(scope, None, None)

    asyncio.run(drive())
    assert streaming.paths == ["/api/events/", "lifespan"]
    assert threaded.paths == ["/api/tickets/", "/api/health/", "/"]


@pytest.mark.django_db(transaction=True)
def test_an_api_call_through_the_served_application() -> None:
    from config.asgi import application

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.get("/api/health/")

    response = asyncio.run(call())
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
